package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.ImagePlus;
import ij.io.Opener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** {@code fiji-clip color} end to end with a random tiny model. */
class ColorCommandTest {

	@TempDir
	static Path shared;
	@TempDir
	Path dir;

	private static Path model;

	@BeforeAll
	static void saveModel() {
		model = shared.resolve("tiny.zip");
		try (ClipModel m = ClipModel.create(ClipPreset.TINY.config(), 4, Device.cpu())) {
			ModelFiles.save(m, model);
		}
	}

	private static CliRun run(String... args) {
		List<String> all = new ArrayList<>(List.of("color", "--threads", "2", "--device", "cpu"));
		all.addAll(Arrays.asList(args));
		return CliRun.of(all.toArray(new String[0]));
	}

	/** The hex colour printed for {@code prompt}. */
	private static String printedHex(CliRun r, String prompt) {
		Matcher m = Pattern.compile(Pattern.quote("\"" + prompt + "\": ") + "(#[0-9A-F]{6})  RGB (\\d+) (\\d+) (\\d+)")
			.matcher(r.out);
		assertTrue(m.find(), "no colour printed for " + prompt + ":\n" + r);
		int rgb = Integer.parseInt(m.group(1).substring(1), 16);
		assertEquals(rgb >> 16, Integer.parseInt(m.group(2)));
		assertEquals(rgb >> 8 & 0xff, Integer.parseInt(m.group(3)));
		assertEquals(rgb & 0xff, Integer.parseInt(m.group(4)));
		return m.group(1);
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.readAllLines(file, StandardCharsets.UTF_8);
	}

	@Test
	void writesASwatchAProgressionAndTheStepsForEachPrompt() throws IOException {
		Path out = dir.resolve("out");
		CliRun r = run("--model", model.toString(), "--prompt", "the color of a banana", "--prompt", "sky", "--steps", "6",
			"--start", "#808080", "--out", out.toString());
		assertEquals(0, r.code, r.toString());
		for (String prompt : List.of("the color of a banana", "sky")) {
			Path folder = out.resolve(prompt.replace(' ', '-'));
			String hex = printedHex(r, prompt);
			ImagePlus swatch = new Opener().openImage(folder.resolve("swatch.png").toString());
			assertEquals(256, swatch.getWidth());
			assertEquals(256, swatch.getHeight());
			assertEquals(Integer.parseInt(hex.substring(1), 16), swatch.getProcessor().get(128, 128) & 0xffffff);
			assertEquals(Integer.parseInt(hex.substring(1), 16), swatch.getProcessor().get(0, 255) & 0xffffff);
			ImagePlus tiff = new Opener().openImage(folder.resolve("progression.tif").toString());
			assertEquals(7, tiff.getStackSize(), "the start and one plane per step");
			assertTrue(tiff.getStack().getSliceLabel(1).matches("step 0 #808080 -?\\d\\.\\d{3}"), tiff.getStack().getSliceLabel(1));
			assertTrue(tiff.getStack().getSliceLabel(7).startsWith("step 6 #"), tiff.getStack().getSliceLabel(7));
			List<String> csv = lines(folder.resolve("steps.csv"));
			assertEquals("step,r,g,b,hex,similarity", csv.get(0));
			assertEquals(8, csv.size());
			assertTrue(csv.get(1).startsWith("0,128,128,128,#808080,"), csv.get(1));
			assertTrue(csv.stream().anyMatch(l -> l.contains("," + hex + ",")), "the printed colour is a recorded step");
		}
		try (java.util.stream.Stream<Path> files = Files.walk(out)) {
			assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files left");
		}
	}

	@Test
	void paletteSwatchesSitSideBySideAndTheCsvNamesEachColour() throws IOException {
		Path out = dir.resolve("palette");
		CliRun r = run("--model", model.toString(), "-p", "sky", "--colors", "3", "--steps", "3", "--swatch-size", "32",
			"--out", out.toString());
		assertEquals(0, r.code, r.toString());
		String hex = printedHex(r, "sky");
		ImagePlus swatch = new Opener().openImage(out.resolve("sky/swatch.png").toString());
		assertEquals(96, swatch.getWidth());
		assertEquals(32, swatch.getHeight());
		assertEquals(Integer.parseInt(hex.substring(1), 16), swatch.getProcessor().get(16, 16) & 0xffffff,
			"the best colour comes first");
		assertTrue(r.out.contains("  1: #") && r.out.contains("  2: #"), r.toString());
		List<String> csv = lines(out.resolve("sky/steps.csv"));
		assertEquals("step,color,r,g,b,hex,similarity", csv.get(0));
		assertEquals(1 + 4 * 3, csv.size());
	}

	@Test
	void sizeOptionWritesTheImageUpscaled() {
		Path out = dir.resolve("image");
		CliRun r = run("--model", model.toString(), "-p", "sky", "--size", "4", "--steps", "2", "--swatch-size", "64",
			"--out", out.toString());
		assertEquals(0, r.code, r.toString());
		ImagePlus swatch = new Opener().openImage(out.resolve("sky/swatch.png").toString());
		assertEquals(64, swatch.getWidth());
		assertEquals(64, swatch.getHeight());
		assertEquals(3, new Opener().openImage(out.resolve("sky/progression.tif").toString()).getStackSize());
	}

	@Test
	void existingOutputFolderNeedsOverwrite() throws IOException {
		Path out = Files.createDirectories(dir.resolve("taken"));
		Files.writeString(out.resolve("keep.txt"), "mine");
		CliRun r = run("--model", model.toString(), "-p", "sky", "--steps", "1", "--out", out.toString());
		assertEquals(FijiClipCli.USER_ERROR, r.code, r.toString());
		assertTrue(r.err.contains("already exists") && r.err.contains("--overwrite"), r.err);
		assertFalse(Files.exists(out.resolve("sky")), "nothing written");
		CliRun again = run("--model", model.toString(), "-p", "sky", "--steps", "1", "--out", out.toString(), "--overwrite");
		assertEquals(0, again.code, again.toString());
		assertTrue(Files.exists(out.resolve("sky/swatch.png")));
		assertTrue(Files.exists(out.resolve("keep.txt")));
	}

	@Test
	void missingModelIsAUserErrorWithoutAStackTrace() {
		CliRun r = run("--model", dir.resolve("none.zip").toString(), "-p", "sky", "--out", dir.resolve("o").toString());
		assertEquals(FijiClipCli.USER_ERROR, r.code, r.toString());
		assertTrue(r.err.startsWith("fiji-clip: ") && r.err.contains("none.zip"), r.err);
		assertFalse(r.err.contains("Exception") || r.err.contains("\tat "), r.err);
		assertFalse(Files.exists(dir.resolve("o")), "no output folder for a failed run");
	}

	@Test
	void badSettingsAreUserErrors() {
		CliRun r = run("--model", model.toString(), "-p", "sky", "--colors", "0");
		assertEquals(FijiClipCli.USER_ERROR, r.code, r.toString());
		assertTrue(r.err.contains("palette"), r.err);
		CliRun start = run("--model", model.toString(), "-p", "sky", "--start", "grey");
		assertEquals(FijiClipCli.USER_ERROR, start.code, start.toString());
		assertTrue(start.err.contains("#RRGGBB"), start.err);
		CliRun both = run("--model", model.toString(), "-p", "sky", "--start", "#808080", "--search", "3");
		assertEquals(FijiClipCli.USER_ERROR, both.code, both.toString());
		assertTrue(both.err.contains("--start or --search"), both.err);
	}

	@Test
	void withoutAStartTheFirstStepIsAColourOfTheSearchGrid() throws IOException {
		Path out = dir.resolve("searched");
		CliRun r = run("--model", model.toString(), "-p", "sky", "--steps", "2", "--search", "2", "--out", out.toString());
		assertEquals(0, r.code, r.toString());
		String first = lines(out.resolve("sky").resolve("steps.csv")).get(1);
		// levels 2: every channel at 0.25 or 0.75, i.e. 64 or 191
		assertTrue(first.matches("0,(64|191),(64|191),(64|191),#.*"), first);
	}
}
