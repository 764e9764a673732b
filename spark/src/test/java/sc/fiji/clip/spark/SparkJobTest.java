package sc.fiji.clip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.cli.FijiClipCli;

/** The job on {@code local[2]} against the command line on the same images, resuming, skips and refusals. */
class SparkJobTest {

	private static final int IMAGES = 300;

	@TempDir
	static Path dir;
	private static Path model, images;
	private static JavaSparkContext spark;
	private static SparkSession sql;

	@BeforeAll
	static void start() throws IOException {
		model = TestImages.model(dir);
		images = TestImages.folder(Files.createDirectories(dir.resolve("images")), IMAGES, 1);
		spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("test").set("spark.ui.enabled", "false"));
		spark.setLogLevel("WARN");
		sql = SparkSession.builder().sparkContext(spark.sc()).getOrCreate();
	}

	@AfterAll
	static void stop() {
		if (spark != null) spark.close();
	}

	private static JobSettings.Builder settings() {
		return JobSettings.builder(model.toString()).batchSize(16);
	}

	@Test
	void rowsEqualTheCommandLineAndTheBrokenFileIsSkipped() throws IOException {
		Path out = dir.resolve("label-out");
		JobSettings s = settings().labels(List.of(TestImages.LABELS.split(","))).topK(2).write(true, true).build();
		JobReport report = new SparkImageJob("label", s, 32).run(spark, List.of(images.toString()), out.toString(), l -> {});
		assertEquals(10, report.partitions(), "302 files in partitions of 32");
		assertEquals(IMAGES + 3, report.planes());
		assertEquals(1, report.skipped());

		Map<String, String[]> labels = cli("label.csv", "label", "--labels", TestImages.LABELS, "--top-k", "2");
		Map<String, String[]> embeddings = cli("embed.csv", "embed");
		List<Row> rows = sql.read().parquet(out.resolve("planes").toString()).collectAsList();
		assertEquals(labels.size(), rows.size());
		String fingerprint = null;
		for (Row row : rows) {
			String key = key(row);
			String[] cliLabels = labels.get(key), cliEmbedding = embeddings.get(key);
			assertNotNull(cliLabels, key);
			List<String> names = row.getList(row.fieldIndex("labels"));
			List<Float> scores = row.getList(row.fieldIndex("scores"));
			assertEquals(List.of(cliLabels[4], cliLabels[6]), names, key);
			assertEquals(Double.parseDouble(cliLabels[5]), scores.get(0), 1e-6, key);
			List<Float> e = row.getList(row.fieldIndex("embedding"));
			assertEquals(cliEmbedding.length - 4, e.size());
			for (int i = 0; i < e.size(); i++) assertEquals(Float.parseFloat(cliEmbedding[4 + i]), e.get(i), 1e-6, key);
			String f = row.getAs("fingerprint");
			if (fingerprint == null) fingerprint = f;
			assertEquals(fingerprint, f);
		}
		assertEquals(64, fingerprint.length());

		List<Row> skips = sql.read().parquet(out.resolve("skips").toString()).collectAsList();
		assertEquals(1, skips.size());
		assertTrue(skips.get(0).<String>getAs("path").endsWith("/images/broken.png"), skips.get(0).toString());
		assertTrue(!skips.get(0).<String>getAs("reason").isBlank());
		assertTrue(Files.exists(out.resolve("_SUCCESS")));
		assertTrue(!Files.exists(out.resolve("_temporary")));
	}

	@Test
	void aKilledJobContinuesWithoutRedoingItsPartitions() throws Exception {
		Path out = dir.resolve("killed-out");
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx1g", "-Dai.djl.offline=true"));
		command.addAll(List.of(System.getProperty("spark.java.opens", "").split(" ")));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), SparkCli.class.getName(), "embed", "--model",
			model.toString(), "--partition-size", "4", "--batch-size", "4", "--master", "local[1]", "--out", out.toString(),
			images.toString()));
		command.removeIf(String::isEmpty);
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
			.start();
		Path planes = out.resolve("planes");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (completed(planes).size() < 3 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
		child.destroyForcibly();
		assertTrue(child.waitFor(30, TimeUnit.SECONDS));
		Map<Path, FileTime> before = new HashMap<>();
		for (Path p : completed(planes)) before.put(p, Files.getLastModifiedTime(p));
		int total = (IMAGES + 2 + 3) / 4; // 302 files: a/ and b/ (single planes), broken.png, stack.tif
		assertTrue(before.size() >= 3 && before.size() < total, "killed after " + before.size() + " of " + total
			+ " partitions: " + Files.readString(dir.resolve("child.log")));

		JobSettings s = settings().batchSize(4).write(false, true).build();
		JobReport report = new SparkImageJob("embed", s, 4).run(spark, List.of(images.toString()), out.toString(), l -> {});
		assertEquals(before.size(), report.kept(), report.toString());
		for (Map.Entry<Path, FileTime> e : before.entrySet()) {
			assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey() + " was written again");
		}
		assertEquals(total, completed(planes).size());
		assertEquals(IMAGES + 3, sql.read().parquet(planes.toString()).count());
		assertEquals(1, sql.read().parquet(out.resolve("skips").toString()).count());
		assertEquals(IMAGES + 3 - 4L * before.size(), report.planes(), "the rerun encodes only the partitions left (local[1] "
			+ "ran them in order; each of the first holds 4 single-plane images)");
	}

	@Test
	void anotherJobsOutputIsRefused() throws IOException {
		Path out = dir.resolve("refused-out");
		Path few = TestImages.folder(Files.createDirectories(dir.resolve("few")), 4, 2);
		JobSettings labels = settings().labels(List.of("a", "b")).build();
		new SparkImageJob("label", labels, 10).run(spark, List.of(few.toString()), out.toString(), l -> {});
		JobSettings other = settings().labels(List.of("a", "c")).build();
		ClipException e = assertThrows(ClipException.class,
			() -> new SparkImageJob("label", other, 10).run(spark, List.of(few.toString()), out.toString(), l -> {}));
		assertTrue(e.getMessage().contains("another model, labels or options"), e.getMessage());
		ClipException embed = assertThrows(ClipException.class, () -> new SparkImageJob("embed",
			settings().write(false, true).build(), 10).run(spark, List.of(few.toString()), out.toString(), l -> {}));
		assertTrue(embed.getMessage().contains("a label job"), embed.getMessage());
		Path busy = Files.createDirectories(dir.resolve("busy"));
		Files.writeString(busy.resolve("notes.txt"), "mine");
		ClipException notEmpty = assertThrows(ClipException.class,
			() -> new SparkImageJob("label", labels, 10).run(spark, List.of(few.toString()), busy.toString(), l -> {}));
		assertTrue(notEmpty.getMessage().contains("is not empty"), notEmpty.getMessage());
		ClipException noLabels = assertThrows(ClipException.class, () -> new SparkImageJob("label", settings().build(), 10)
			.run(spark, List.of(few.toString()), dir.resolve("nolabels").toString(), l -> {}));
		assertTrue(noLabels.getMessage().startsWith("No labels: give --labels"), noLabels.getMessage());
		ClipException noModel = assertThrows(ClipException.class, () -> new SparkImageJob("embed", JobSettings.builder(dir
			.resolve("none.zip").toString()).write(false, true).build(), 10).run(spark, List.of(few.toString()),
			dir.resolve("nomodel").toString(), l -> {}));
		assertTrue(noModel.getMessage().contains("does not exist"), noModel.getMessage());
	}

	private static List<Path> completed(Path planes) throws IOException {
		if (!Files.isDirectory(planes)) return List.of();
		try (Stream<Path> files = Files.list(planes)) {
			return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).collect(Collectors.toList());
		}
	}

	private static String key(Row row) {
		String path = row.getAs("path");
		String rel = path.substring(path.indexOf("/images/") + "/images/".length());
		return rel + "," + row.getAs("c") + "," + row.getAs("z") + "," + row.getAs("t");
	}

	/** The command line's CSV rows by image,c,z,t. */
	private static Map<String, String[]> cli(String file, String... args) throws IOException {
		Path csv = dir.resolve(file);
		List<String> all = new ArrayList<>(List.of(args));
		all.addAll(List.of("--model", model.toString(), "--batch-size", "16", "--threads", "1", "--out", csv.toString(),
			"--overwrite", images.toString()));
		StringWriter err = new StringWriter();
		int code = FijiClipCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), all.toArray(new String[0]));
		assertEquals(0, code, err.toString());
		Map<String, String[]> rows = new HashMap<>();
		List<String> lines = Files.readAllLines(csv);
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			rows.put(f[0] + "," + f[1] + "," + f[2] + "," + f[3], f);
		}
		return rows;
	}

	private static String java() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}
}
