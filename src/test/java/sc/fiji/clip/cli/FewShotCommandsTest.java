package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.eval.EvaluationFiles;
import sc.fiji.clip.label.ColourModel;

/**
 * {@code label --examples}, {@code adapt} and {@code evaluate} end to end with the tiny colour model: examples teach
 * it classes whose names it never saw, a model file keeps what they taught, and bad example folders are refused.
 */
class FewShotCommandsTest {

	@TempDir
	Path dir;

	private static String[] args(String command, String... more) {
		List<String> all = new ArrayList<>(List.of(command, "--threads", "2", "--device", "cpu"));
		all.addAll(Arrays.asList(more));
		return all.toArray(new String[0]);
	}

	/** Class folders "warm things" (red) and "cold_things" (blue): names the colour model never saw. */
	private Path examples(String name) {
		Path folder = dir.resolve(name);
		for (int i = 0; i < 3; i++) {
			ColourModel.save(folder.resolve("warm things/r" + i + ".png"), "red", 16 + i, 16);
			ColourModel.save(folder.resolve("cold_things/b" + i + ".png"), "blue", 16, 16 + i);
		}
		return folder;
	}

	private Path images() {
		Path folder = dir.resolve("images");
		ColourModel.save(folder.resolve("one.png"), "red", 20, 20);
		ColourModel.save(folder.resolve("two.png"), "blue", 24, 20);
		return folder;
	}

	private static List<String> labels(String csv) {
		List<String> labels = new ArrayList<>();
		for (String line : csv.strip().split("\n")) labels.add(line.split(",", -1)[4]);
		return labels.subList(1, labels.size());
	}

	@Test
	void examplesNameAndTeachTheClasses() {
		CliRun r = CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples",
			examples("examples").toString(), "--method", "cache", images().toString()));
		assertEquals(0, r.code, r.toString());
		assertEquals(List.of("warm things", "cold things"), labels(r.out), r.toString());
		assertTrue(r.err.contains("few-shot: cache of 2 classes, 6 examples (3 each), alpha"), r.err);
		assertTrue(r.err.contains("leave-one-out accuracy 100.0 % over 6 examples"), r.err);
	}

	@Test
	void theProbeIsTheDefault() {
		CliRun r = CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples",
			examples("examples").toString(), images().toString()));
		assertEquals(0, r.code, r.toString());
		assertEquals(List.of("warm things", "cold things"), labels(r.out), r.toString());
		assertTrue(r.err.contains("few-shot: linear probe on 2 classes, lambda"), r.err);
	}

	@Test
	void anAdaptedModelLabelsWithNoLabelsAndNoExamples() {
		Path adapted = dir.resolve("adapted.zip");
		CliRun a = CliRun.of(args("adapt", "--model", ColourModel.file().toString(), "--examples",
			examples("examples").toString(), "--method", "cache", "--out", adapted.toString()));
		assertEquals(0, a.code, a.toString());
		assertTrue(a.out.contains("wrote " + adapted + ": cache of 2 classes"), a.out);
		CliRun r = CliRun.of(args("label", "--model", adapted.toString(), images().toString()));
		assertEquals(0, r.code, r.toString());
		assertEquals(List.of("warm things", "cold things"), labels(r.out));
		assertTrue(r.err.contains("few-shot, kept in adapted.zip: cache of 2 classes"), r.err);
		CliRun zeroShot = CliRun.of(args("label", "--model", adapted.toString(), "--labels", "red,blue",
			images().toString()));
		assertEquals(List.of("red", "blue"), labels(zeroShot.out), "labels given: zero-shot as before");
	}

	@Test
	void evaluateCountsTheConfusionAndWritesItsFiles() throws IOException {
		Path data = dir.resolve("data");
		ColourModel.save(data.resolve("red/a.png"), "red", 16, 16);
		ColourModel.save(data.resolve("red/b.png"), "red", 18, 16);
		ColourModel.save(data.resolve("blue/c.png"), "blue", 16, 16);
		Files.write(data.resolve("blue/broken.png"), "not a png".getBytes(StandardCharsets.UTF_8));
		Path out = dir.resolve("eval");
		CliRun r = CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data", data.toString(),
			"--out", out.toString()));
		assertEquals(0, r.code, r.toString());
		assertTrue(r.out.startsWith("3 images, 2 classes (zero-shot on 2 labels): accuracy 100.0 %"), r.out);
		assertTrue(r.err.contains("broken.png"), "the unreadable image is reported: " + r.err);
		assertEquals("true \\ predicted,blue,red\nblue,1,0\nred,0,2\n",
			Files.readString(out.resolve(EvaluationFiles.CONFUSION)));
		assertTrue(Files.readString(out.resolve(EvaluationFiles.SUMMARY)).contains("\naccuracy,1.00000\n"));
		assertTrue(ImageIO.read(out.resolve(EvaluationFiles.IMAGE).toFile()).getWidth() > 100);
	}

	@Test
	void evaluateOnACaptionedFolderTakesEachImagesClassFromItsCaption() throws IOException {
		Path data = dir.resolve("captioned");
		ColourModel.save(data.resolve("a.png"), "red", 16, 16);
		ColourModel.save(data.resolve("b.png"), "red", 18, 16);
		ColourModel.save(data.resolve("c.png"), "blue", 16, 16);
		ColourModel.save(data.resolve("d.png"), "blue", 16, 18);
		ColourModel.save(data.resolve("e.png"), "red", 20, 16);
		Files.writeString(data.resolve("captions.csv"), "image,caption\na.png,A RED square.\nb.png,red thing\n"
			+ "c.png,\"a blue one, small\"\nd.png,red and blue\ne.png,something green\n");
		Path out = dir.resolve("eval-captions");
		CliRun r = CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data", data.toString(),
			"--val-labels", "red,blue", "--out", out.toString()));
		assertEquals(0, r.code, r.toString());
		assertTrue(r.out.startsWith("3 images, 2 classes (zero-shot on 2 labels): accuracy 100.0 %"), r.out);
		assertEquals("true \\ predicted,blue,red\nblue,1,0\nred,0,2\n",
			Files.readString(out.resolve(EvaluationFiles.CONFUSION)));
		assertTrue(r.err.contains("1 image(s) whose captions name none of the classes (e.png)"), r.err);
		assertTrue(r.err.contains("1 image(s) whose captions name more than one of the classes (d.png)"), r.err);

		refused(CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data", data.toString())),
			data.toString(), "--val-labels");
		Path folders = dir.resolve("folders");
		ColourModel.save(folders.resolve("red/a.png"), "red", 16, 16);
		ColourModel.save(folders.resolve("blue/b.png"), "blue", 16, 16);
		assertEquals(0, CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data",
			folders.toString(), "--val-labels", "blue,red")).code, "class folders of the same names");
		refused(CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data", folders.toString(),
			"--val-labels", "red,green")), "holds class folders", "Leave them out");
		refused(CliRun.of(args("evaluate", "--model", ColourModel.file().toString(), "--data", data.toString(),
			"--val-labels", "red")), "at least two class names");
	}

	private static void refused(CliRun r, String... mentions) {
		assertNotEquals(0, r.code, r.toString());
		assertNotEquals(FijiClipCli.INTERNAL_ERROR, r.code, r.toString());
		assertFalse(r.err.contains("\tat "), r.toString());
		for (String m : mentions) assertTrue(r.err.contains(m), "should name '" + m + "': " + r);
	}

	@Test
	void badExampleFoldersAreRefusedAndNothingIsWritten() throws IOException {
		Path one = dir.resolve("one-class");
		ColourModel.save(one.resolve("red/a.png"), "red", 16, 16);
		Path out = dir.resolve("out.zip");
		refused(CliRun.of(args("adapt", "--model", ColourModel.file().toString(), "--examples", one.toString(), "--out",
			out.toString())), "only the class 'red'", "at least two class folders");
		assertFalse(Files.exists(out));

		Path empty = examples("with-empty");
		Files.createDirectories(empty.resolve("nothing_here"));
		refused(CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples", empty.toString(),
			images().toString())), "nothing_here", "no image that can be read");

		Path unreadable = examples("with-unreadable");
		Files.write(Files.createDirectories(unreadable.resolve("broken")).resolve("x.png"), new byte[] { 1, 2, 3 });
		refused(CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples", unreadable.toString(),
			images().toString())), "broken");

		refused(CliRun.of(args("label", "--model", ColourModel.file().toString(), images().toString())), "No labels",
			"fiji-clip adapt");
		refused(CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples",
			examples("examples").toString(), "--labels", "red,blue", images().toString())), "not the classes");
		refused(CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples",
			examples("examples").toString(), "--method", "knn", images().toString())), "knn", "cache", "probe");
	}

	@Test
	void aCorruptImageAmongTheExamplesIsSkippedAndReported() throws IOException {
		Path folder = examples("examples");
		Files.write(folder.resolve("warm things/bad.png"), "not a png".getBytes(StandardCharsets.UTF_8));
		CliRun r = CliRun.of(args("label", "--model", ColourModel.file().toString(), "--examples", folder.toString(),
			"--method", "cache", images().toString()));
		assertEquals(0, r.code, r.toString());
		assertTrue(r.err.contains("examples skipped: warm things/bad.png"), r.err);
		assertTrue(r.err.contains("6 examples"), r.err);
	}
}
