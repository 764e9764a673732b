package sc.fiji.clip.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.fewshot.SavedAdapter;

/**
 * A labelling or embedding job on Spark, driven from here: lists the files, claims the output folder
 * ({@link JobManifest}), runs one {@link PartitionTask} per partition not yet complete, and reports. Rerun on the
 * same output folder, it continues where a killed job stopped.
 */
public final class SparkImageJob {

	/** Image files per partition unless set otherwise: about a minute of one CPU core with ViT-B/32. */
	public static final int DEFAULT_PARTITION_SIZE = 1000;

	private final String kind;
	private final JobSettings settings;
	private final int partitionSize;

	/** A job of {@code kind} ("label" or "embed": it names the job in its manifest). */
	public SparkImageJob(String kind, JobSettings settings, int partitionSize) {
		if (partitionSize < 1) throw new ClipException("--partition-size must be at least 1, not " + partitionSize + ".");
		this.kind = kind;
		this.settings = settings;
		this.partitionSize = partitionSize;
	}

	/**
	 * Runs the job over {@code inputs} into the folder {@code out}; {@code log} hears progress lines.
	 *
	 * @throws ClipException for bad inputs, another job's output folder, or a task's failure (its message)
	 */
	public JobReport run(JavaSparkContext spark, List<String> inputs, String out, Consumer<String> log) {
		long start = System.nanoTime();
		HadoopConf conf = new HadoopConf(spark.hadoopConfiguration());
		checkModel(conf);
		List<String> files = ImageListing.list(inputs, conf.get());
		JobOutput output = new JobOutput(qualified(out, conf), conf);
		JobManifest manifest = JobManifest.of(kind, settings, files, partitionSize);
		try {
			manifest.claim(output);
		} catch (IOException e) {
			throw new ClipException("Cannot write to " + out + ": " + e.getMessage(), e);
		}
		List<Partition> pending = new ArrayList<>();
		for (int i = 0; i < manifest.partitions; i++) {
			if (!output.complete(i)) {
				pending.add(new Partition(i, files.subList(i * partitionSize, Math.min(files.size(), (i + 1) * partitionSize))));
			}
		}
		int kept = manifest.partitions - pending.size();
		log.accept(String.format(Locale.ROOT, "%d image files in %d partitions of up to %d; %s", files.size(),
			manifest.partitions, partitionSize, kept == 0 ? "none done yet" : kept + " already complete, kept"));
		List<PartitionReport> reports = List.of();
		if (!pending.isEmpty()) {
			Progress progress = new Progress(pending.size(), log);
			spark.sc().addSparkListener(progress);
			try {
				reports = spark.parallelize(pending, pending.size()).map(new PartitionTask(settings, output, conf)).collect();
			} catch (Exception e) {
				throw failure(e);
			} finally {
				spark.sc().removeSparkListener(progress);
			}
		}
		try {
			FileSystem fs = output.fs();
			fs.create(output.success(), true).close();
			fs.delete(new Path(output.root(), JobOutput.TEMPORARY), true);
		} catch (IOException e) {
			throw new ClipException("Cannot finish " + out + ": " + e.getMessage(), e);
		}
		return new JobReport(output.root().toString(), manifest.partitions, kept, reports, (System.nanoTime() - start) / 1e9);
	}

	/** What can be checked on the driver before any task starts: the model is there and labels can be had. */
	private void checkModel(HadoopConf conf) {
		Path model = new Path(settings.model());
		try {
			if (!model.getFileSystem(conf.get()).exists(model)) {
				throw new ClipException("The model " + model + " does not exist. Give a model file or folder every executor "
					+ "can read.");
			}
		} catch (IOException e) {
			throw new ClipException("Cannot read the model " + model + ": " + e.getMessage(), e);
		}
		java.nio.file.Path local = LocalPaths.local(model);
		if (settings.writesLabels() && settings.labels == null && local != null && !SavedAdapter.present(local))
		{
			throw new ClipException("No labels: give --labels, or a model that keeps a few-shot classifier (fiji-clip "
				+ "adapt makes one); " + model + " keeps none.");
		}
	}

	private static String qualified(String out, HadoopConf conf) {
		try {
			Path p = new Path(out);
			return p.getFileSystem(conf.get()).makeQualified(p).toString();
		} catch (IOException e) {
			throw new ClipException("Cannot use " + out + " as --out: " + e.getMessage(), e);
		}
	}

	/** A task's own message (a bad model, missing labels) rather than Spark's wrapping of it. */
	private static ClipException failure(Exception e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof ClipException) return new ClipException("A task failed: " + t.getMessage(), e);
		}
		String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
		return new ClipException("The job failed: " + message + " (the partitions completed are kept; run again to "
			+ "continue).", e);
	}

	/** One line per partition finished. */
	private static final class Progress extends SparkListener {
		private final int total;
		private final Consumer<String> log;
		private int done;

		Progress(int total, Consumer<String> log) {
			this.total = total;
			this.log = log;
		}

		@Override
		public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
			if (!end.taskInfo().successful()) return;
			done++;
			log.accept(String.format(Locale.ROOT, "partitions: %d/%d (%.0f%%)", done, total, 100.0 * done / total));
		}
	}
}
