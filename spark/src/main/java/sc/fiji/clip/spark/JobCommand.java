package sc.fiji.clip.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.DeviceChoice;

/** What {@code label} and {@code embed} share: model, inputs, output folder, partitions, encoding and Spark master. */
abstract class JobCommand implements Callable<Integer> {

	@Option(names = "--model", required = true, paramLabel = "MODEL",
		description = "The model: a .zip, a Hugging Face or open_clip folder; a local path every executor sees, or a "
			+ "Hadoop URI (hdfs:, s3a:) copied to each executor once (required).")
	String model;

	@Option(names = "--out", required = true, paramLabel = "DIR",
		description = "The output folder (local or Hadoop URI): planes/ and skips/ Parquet, job.json. Run again on "
			+ "the same folder to continue a stopped job (required).")
	String out;

	@Option(names = "--partition-size", paramLabel = "N", defaultValue = "" + SparkImageJob.DEFAULT_PARTITION_SIZE,
		description = "Image files per partition, the unit of resuming (default: ${DEFAULT-VALUE}).")
	int partitionSize;

	@Option(names = "--merge-channels", description = "One row per composite of a multichannel image's channels.")
	boolean mergeChannels;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
		description = "Planes encoded together (default: ${DEFAULT-VALUE}).")
	int batchSize;

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu, on each executor (default: "
		+ "${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--threads", defaultValue = "1", paramLabel = "N",
		description = "libtorch threads per executor JVM; Spark runs one task per core, so 1 unless tasks take "
			+ "several cores (spark.task.cpus) (default: ${DEFAULT-VALUE}).")
	int threads;

	@Option(names = "--master", paramLabel = "URL",
		description = "Spark master when not started by spark-submit (default: spark.master, else local[*]).")
	String master;

	@Option(names = "--debug", description = "Print stack traces of errors.")
	boolean debug;

	@Parameters(arity = "1..*", paramLabel = "INPUT",
		description = "Folders, .txt/.lst files of paths, globs or image files, on any Hadoop file system.")
	List<String> inputs;

	@Spec
	CommandSpec spec;

	abstract String kind();

	abstract JobSettings.Builder settings(JobSettings.Builder b);

	@Override
	public Integer call() {
		if (batchSize < 1) throw new ClipException("--batch-size must be at least 1, not " + batchSize + ".");
		if (threads < 1) throw new ClipException("--threads must be at least 1, not " + threads + ".");
		DeviceChoice.parse(device);
		JobSettings settings = settings(JobSettings.builder(model).mergeChannels(mergeChannels).batchSize(batchSize)
			.device(device).threads(threads)).build();
		SparkImageJob job = new SparkImageJob(kind(), settings, partitionSize);
		PrintWriter err = spec.commandLine().getErr();
		SparkConf conf = new SparkConf().setAppName("fiji-clip " + kind());
		if (master != null) conf.setMaster(master);
		else if (!conf.contains("spark.master")) conf.setMaster("local[*]");
		try (JavaSparkContext spark = new JavaSparkContext(conf)) {
			spark.setLogLevel("WARN");
			JobReport report = job.run(spark, inputs, out, line -> {
				err.println("fiji-clip spark: " + line);
				err.flush();
			});
			err.println("fiji-clip spark: " + report);
		}
		err.flush();
		return 0;
	}
}
