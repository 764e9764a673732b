package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ColourModel;

/** {@code fiji-clip label} end to end with a tiny colour model trained in the test. */
class LabelCommandTest {

	@TempDir
	Path dir;

	private static CliRun run(String... args) {
		return CliRun.of(args);
	}

	private static String[] args(String... args) {
		List<String> all = new ArrayList<>(List.of("label", "--threads", "2", "--device", "cpu"));
		all.addAll(Arrays.asList(args));
		return all.toArray(new String[0]);
	}

	private Path colours() {
		Path folder = dir.resolve("images");
		ColourModel.save(folder.resolve("a_red.png"), "red", 20, 20);
		ColourModel.save(folder.resolve("b_green.tif"), "green", 30, 20);
		ColourModel.save(folder.resolve("sub/c_blue.png"), "blue", 16, 24);
		return folder;
	}

	private static List<List<String>> csv(String text) {
		List<List<String>> rows = new ArrayList<>();
		for (String line : text.split("\n")) rows.add(Arrays.asList(line.split(",", -1)));
		return rows;
	}

	@Test
	void labelsAFolderIntoACsvFileWithTheDocumentedColumns() throws IOException {
		Path folder = colours();
		Path out = dir.resolve("results.csv");
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels", "red,green,blue,black", "--top-k", "2",
			"--out", out.toString(), folder.toString()));
		assertEquals(0, r.code, r.toString());
		assertEquals("", r.out, "the CSV goes to the file");
		List<List<String>> rows = csv(Files.readString(out, StandardCharsets.UTF_8));
		assertEquals(List.of("image", "c", "z", "t", "label", "score", "label2", "score2"), rows.get(0));
		assertEquals(4, rows.size(), r.toString());
		assertEquals(List.of("a_red.png", "1", "1", "1", "red"), rows.get(1).subList(0, 5));
		assertEquals(List.of("b_green.tif", "1", "1", "1", "green"), rows.get(2).subList(0, 5));
		assertEquals(List.of("sub/c_blue.png", "1", "1", "1", "blue"), rows.get(3).subList(0, 5));
		for (List<String> row : rows.subList(1, rows.size())) {
			assertTrue(row.get(5).matches("[01]\\.\\d{6}"), row.toString());
			assertTrue(Float.parseFloat(row.get(5)) >= Float.parseFloat(row.get(7)), row.toString());
		}
		assertTrue(r.err.contains("labelled 3 planes of 3 images"), r.err);
		assertTrue(r.err.contains("; wrote " + out), r.err);
		try (var files = Files.list(dir)) {
			assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".part")).count(), "no temporary left");
		}
	}

	@Test
	void withoutOutTheCsvGoesToStandardOutputAndProgressToStandardError() throws IOException {
		Path image = ColourModel.save(dir.resolve("one.png"), "blue", 16, 16);
		Path labels = Files.write(dir.resolve("labels.txt"), "red\nblue\n".getBytes(StandardCharsets.UTF_8));
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels-file", labels.toString(),
			image.toString()));
		assertEquals(0, r.code, r.toString());
		List<List<String>> rows = csv(r.out);
		assertEquals(2, rows.size(), r.out);
		assertEquals(List.of("image", "c", "z", "t", "label", "score"), rows.get(0));
		assertEquals(List.of("one.png", "1", "1", "1", "blue"), rows.get(1).subList(0, 5));
		assertFalse(r.out.contains("labelling"), "progress stays off standard output");
		assertTrue(r.err.contains("images/s"), r.err);
	}

	@Test
	void allScoresGiveOneProbabilityColumnPerLabelSummingToOne() throws IOException {
		Path folder = colours();
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels", "red, green,blue,black", "--all-scores",
			"--batch-size", "2", folder.toString()));
		assertEquals(0, r.code, r.toString());
		List<List<String>> rows = csv(r.out);
		assertEquals(List.of("image", "c", "z", "t", "label", "score", "p:red", "p:green", "p:blue", "p:black"),
			rows.get(0));
		assertEquals(4, rows.size());
		for (List<String> row : rows.subList(1, rows.size())) {
			double sum = 0;
			for (String p : row.subList(6, 10)) sum += Double.parseDouble(p);
			assertEquals(1.0, sum, 1e-5, row.toString());
			assertEquals(row.get(5), row.get(6 + List.of("red", "green", "blue", "black").indexOf(row.get(4))),
				"the top score is the label's probability");
		}
	}

	@Test
	void multichannelTiffGivesARowPerChannelOrOneMergedRowWithEmptyChannel() {
		ImagePlus two = IJ.createHyperStack("two", 12, 12, 2, 1, 1, 8);
		two.getStack().getProcessor(1).setColor(255);
		two.getStack().getProcessor(1).fill();
		Path tiff = dir.resolve("two.tif");
		assertTrue(new FileSaver(two).saveAsTiff(tiff.toString()));
		CliRun planes = run(args("--model", ColourModel.file().toString(), "--labels", "red,green,blue,black",
			tiff.toString()));
		assertEquals(0, planes.code, planes.toString());
		List<List<String>> rows = csv(planes.out);
		assertEquals(3, rows.size(), planes.out);
		assertEquals(List.of("two.tif", "1", "1", "1"), rows.get(1).subList(0, 4));
		assertEquals(List.of("two.tif", "2", "1", "1"), rows.get(2).subList(0, 4));
		CliRun merged = run(args("--model", ColourModel.file().toString(), "--labels", "red,green,blue,black",
			"--merge-channels", tiff.toString()));
		assertEquals(0, merged.code, merged.toString());
		rows = csv(merged.out);
		assertEquals(2, rows.size(), merged.out);
		assertEquals(List.of("two.tif", "", "1", "1"), rows.get(1).subList(0, 4));
	}

	@Test
	void topKAboveTheLabelCountIsClampedWithANotice() {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels", "red,green", "--top-k", "5",
			image.toString()));
		assertEquals(0, r.code, r.toString());
		assertTrue(r.err.contains("--top-k 5 is more than the 2 labels; writing 2."), r.err);
		assertEquals(List.of("image", "c", "z", "t", "label", "score", "label2", "score2"), csv(r.out).get(0));
	}

	@Test
	void unreadableFilesAreReportedOnStandardError() throws IOException {
		Path folder = colours();
		Files.write(folder.resolve("broken.png"), new byte[0]);
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels", "red,green,blue,black",
			folder.toString()));
		assertEquals(0, r.code, r.toString());
		assertEquals(4, csv(r.out).size());
		assertTrue(r.err.contains("1 file skipped:\n  broken.png: empty file"), r.err);
	}

	/** A user error: exit code 2 and one line naming the problem, no stack trace. */
	private static void assertOneLineError(CliRun r, String expected) {
		assertEquals(FijiClipCli.USER_ERROR, r.code, r.toString());
		String message = r.err.strip();
		assertFalse(message.contains("\n"), "one line: " + r.err);
		assertTrue(message.startsWith("fiji-clip: "), r.err);
		assertTrue(message.contains(expected), "'" + expected + "' in: " + r.err);
		assertFalse(message.contains("Exception") || message.contains("\tat "), r.err);
		assertEquals("", r.out);
	}

	@Test
	void emptyLabelsAreAOneLineError() {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		assertOneLineError(run(args("--model", ColourModel.file().toString(), "--labels", "", image.toString())),
			"No labels given");
	}

	@Test
	void duplicateLabelIsAOneLineError() {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		assertOneLineError(run(args("--model", ColourModel.file().toString(), "--labels", "red,green,red",
			image.toString())), "The label \"red\" appears twice");
	}

	@Test
	void missingModelIsAOneLineError() {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		Path missing = dir.resolve("nope.zip");
		assertOneLineError(run(args("--model", missing.toString(), "--labels", "red,green", image.toString())),
			"Model " + missing + " does not exist");
	}

	@Test
	void existingOutWithoutOverwriteIsAOneLineErrorAndLeavesTheFile() throws IOException {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		Path out = Files.write(dir.resolve("results.csv"), "keep me".getBytes(StandardCharsets.UTF_8));
		assertOneLineError(run(args("--model", ColourModel.file().toString(), "--labels", "red,green", "--out",
			out.toString(), image.toString())), "--out " + out + " exists already. Add --overwrite");
		assertEquals("keep me", Files.readString(out));

		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels", "red,green", "--out", out.toString(),
			"--overwrite", image.toString()));
		assertEquals(0, r.code, r.toString());
		assertTrue(Files.readString(out).startsWith("image,c,z,t,label,score\none.png,1,1,1,red,"));
	}

	@Test
	void missingImageAndBadTemplateAreOneLineErrors() {
		Path image = ColourModel.save(dir.resolve("one.png"), "red", 16, 16);
		assertOneLineError(run(args("--model", ColourModel.file().toString(), "--labels", "red", dir.resolve("x.png")
			.toString())), "does not exist");
		assertOneLineError(run(args("--model", ColourModel.file().toString(), "--labels", "red", "--template", "no slot",
			image.toString())), "no slot");
	}

	@Test
	void templatesGivenOnTheCommandLineAreUsed() {
		Path image = ColourModel.save(dir.resolve("one.png"), "green", 16, 16);
		// a random pretrained-layout model: its scores are far from saturated, so other templates move them
		String model = sc.fiji.clip.testing.Fixtures.hfClipTiny().toString();
		CliRun own = run(args("--model", model, "--labels", "red,green", "--template", "{}", image.toString()));
		CliRun other = run(args("--model", model, "--labels", "red,green", "--template", "zz {}", "--template", "{} qq",
			image.toString()));
		assertEquals(0, own.code, own.toString());
		assertEquals(0, other.code, other.toString());
		assertFalse(csv(own.out).get(1).get(5).equals(csv(other.out).get(1).get(5)), own.out + other.out);
	}

	@Test
	void helpDocumentsEveryOptionWithItsDefault() {
		CliRun r = run("help", "label");
		assertEquals(0, r.code, r.toString());
		for (String option : List.of("--model", "--labels", "--labels-file", "--template", "--templates-file", "--top-k",
			"--all-scores", "--merge-channels", "--batch-size", "--out", "--overwrite", "--device", "--threads")) {
			assertTrue(r.out.contains(option), option + " in:\n" + r.out);
		}
		assertTrue(r.out.contains("(default: 1)"), r.out);
		assertTrue(r.out.contains("(default: 64)"), r.out);
		assertTrue(r.out.contains("(default: standard output)"), r.out);
	}

	@Test
	void fieldsWithCommasAreQuoted() throws IOException {
		Path image = ColourModel.save(dir.resolve("one, two.png"), "red", 16, 16);
		Path labels = Files.write(dir.resolve("labels.txt"), "red, dark\ngreen\n".getBytes(StandardCharsets.UTF_8));
		Path out = dir.resolve("r.csv");
		CliRun r = run(args("--model", ColourModel.file().toString(), "--labels-file", labels.toString(), "--all-scores",
			"--out", out.toString(), image.toString()));
		assertEquals(0, r.code, r.toString());
		String text = Files.readString(out);
		assertTrue(text.startsWith("image,c,z,t,label,score,\"p:red, dark\",p:green\n\"one, two.png\",1,1,1,"), text);
	}
}
