package sc.fiji.clip.spark;

import ai.djl.Device;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import sc.fiji.clip.cli.FijiClipCli;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/**
 * Images/s of {@code embed} on Spark's {@code local[1]} and {@code local[2]} against the plain command line on the
 * same images and model, in one JVM, one after the other: the scaling over cores and the overhead Spark adds.
 * Images: Fashion-MNIST test images as 112 px PNGs (the Debian package), else generated blocks.
 * <p>
 * {@code java ... sc.fiji.clip.spark.SparkBenchmark [images=N] [vit-images=N] [work=DIR] [out=FILE.md]}
 */
public final class SparkBenchmark {

	private static final StringBuilder TABLE = new StringBuilder();

	private static void out(String line) {
		System.out.println(line);
		TABLE.append(line).append('\n');
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> a = new LinkedHashMap<>();
		for (String arg : args) a.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		Path work = Path.of(a.getOrDefault("work", "/tmp/fiji-clip-spark-bench"));
		Files.createDirectories(work);
		int n = Integer.parseInt(a.getOrDefault("images", "2000"));
		int nVit = Integer.parseInt(a.getOrDefault("vit-images", "400"));
		Path images = images(work.resolve("images-" + n), n);
		Path vitImages = images(work.resolve("images-" + nVit), nVit);
		Path small = model(work.resolve("small.zip"), ClipPreset.SMALL.config());
		Path vit = model(work.resolve("vit-b-32.zip"), new ClipConfig());
		out("| model | images | run | cores | wall s | of which Spark's start s | images/s | speed vs the command line |");
		out("|---|---:|---|---:|---:|---:|---:|---:|");
		run("small (32 px, random)", small, images, n, work);
		run("ViT-B/32 (224 px, random)", vit, vitImages, nVit, work);
		if (a.containsKey("out")) {
			String header = String.format(Locale.ROOT, "# The Spark job: local[1] and local[2] against the command line%n%n"
				+ "%d cores; Java %s; %s; written by `SparkBenchmark` (see README, Scaling out on Spark).%n%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), java.time.Instant.now());
			Files.writeString(Path.of(a.get("out")), header + TABLE);
		}
	}

	/**
	 * Each run twice, in the same order; the second round is printed (the first warms the JVM and Spark). Every run
	 * loads the model, as a new JVM would.
	 */
	private static void run(String name, Path model, Path images, int n, Path work) throws IOException {
		double cli = 0;
		double[] s1 = null, s2 = null;
		for (int round = 0; round < 2; round++) {
			cli = cli(model, images, work);
			s1 = spark(model, images, work, 1, n);
			s2 = spark(model, images, work, 2, n);
		}
		row(name, n, "fiji-clip embed (a batch per core side by side)", 2, cli, 0, 1);
		row(name, n, "spark-embed local[1] (one task, one thread)", 1, s1[0], s1[1], 0);
		row(name, n, "spark-embed local[2]", 2, s2[0], s2[1], cli / s2[0]);
		out(String.format(Locale.ROOT, "| %s | | local[1] → local[2] | | | | %.2f× (efficiency %.0f%%) | |", name,
			s1[0] / s2[0], 100 * s1[0] / s2[0] / 2));
	}

	private static void row(String model, int n, String run, int cores, double seconds, double start, double ratio) {
		out(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %s | %.1f | %s |", model, n, run, cores, seconds,
			start == 0 ? "" : String.format(Locale.ROOT, "%.1f", start), n / seconds,
			ratio == 1 || ratio == 0 ? "" : String.format(Locale.ROOT, "%.2f", ratio)));
	}

	/** Wall seconds of the command line embedding the folder on every core (model load included, JVM start not). */
	private static double cli(Path model, Path images, Path work) {
		Path out = work.resolve("cli.csv");
		long t0 = System.nanoTime();
		StringWriter err = new StringWriter();
		int code = FijiClipCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "embed", "--model",
			model.toString(), "--out", out.toString(), "--overwrite", images.toString());
		if (code != 0) throw new IllegalStateException(err.toString());
		return (System.nanoTime() - t0) / 1e9;
	}

	/** {wall seconds, of which starting Spark} of a job on local[cores], one libtorch thread per task. */
	private static double[] spark(Path model, Path images, Path work, int cores, int n) throws IOException {
		Path out = work.resolve("spark-" + cores + "-" + System.nanoTime());
		ExecutorModel.release();
		long t0 = System.nanoTime();
		double start;
		try (JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[" + cores + "]")
			.setAppName("bench").set("spark.ui.enabled", "false")))
		{
			start = (System.nanoTime() - t0) / 1e9;
			spark.setLogLevel("WARN");
			int partitions = Math.max(cores * 4, n / 250);
			JobSettings s = JobSettings.builder(model.toString()).write(false, true).threads(1).build();
			new SparkImageJob("embed", s, (n + partitions - 1) / partitions).run(spark, List.of(images.toString()),
				out.toString(), l -> {});
		}
		return new double[] { (System.nanoTime() - t0) / 1e9, start };
	}

	private static Path model(Path file, ClipConfig config) {
		if (Files.exists(file)) return file;
		try (ClipModel model = ClipModel.create(config, 1, Device.cpu())) {
			ModelFiles.save(model, file);
		}
		return file;
	}

	private static Path images(Path dir, int n) throws IOException {
		if (Files.isDirectory(dir)) return dir;
		Path tmp = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".tmp"));
		List<byte[]> pixels = fashion(n);
		for (int i = 0; i < n; i++) {
			ImageProcessor ip = new ByteProcessor(28, 28, pixels.get(i % pixels.size()));
			ip.setInterpolationMethod(ImageProcessor.BILINEAR);
			new FileSaver(new ImagePlus("f", ip.resize(112, 112))).saveAsPng(tmp.resolve(String.format("f-%05d.png", i))
				.toString());
		}
		Files.move(tmp, dir);
		return dir;
	}

	/** Fashion-MNIST test images (28×28 bytes), or random ones when the package is not installed. */
	private static List<byte[]> fashion(int n) throws IOException {
		Path file = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
		List<byte[]> images = new ArrayList<>();
		if (!Files.exists(file)) {
			java.util.Random r = new java.util.Random(1);
			for (int i = 0; i < n; i++) {
				byte[] b = new byte[28 * 28];
				r.nextBytes(b);
				images.add(b);
			}
			return images;
		}
		try (InputStream raw = new GZIPInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(raw)) {
			in.readInt();
			int count = in.readInt();
			in.readInt();
			in.readInt();
			for (int i = 0; i < Math.min(n, count); i++) {
				byte[] b = new byte[28 * 28];
				in.readFully(b);
				images.add(b);
			}
		}
		return images;
	}
}
