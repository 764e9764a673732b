package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ColourModel;

/**
 * Runs the command line over a corpus of bad inputs (broken images, odd caption tables, broken models, silly
 * parameters) and checks that every one ends in a clear message or a reported skip: never a stack trace, an
 * internal error (exit 3) or a half-written output.
 */
class BadInputTest {

	@TempDir
	static Path dir;

	private static int cases, clear, crashes;

	/** How a case must end. */
	private enum Expect {
		/** Exit 0. */
		WORKS,
		/** Exit 0 and standard error names what was skipped. */
		SKIPS,
		/** Exit non-zero (not 3) and standard error names the file or option at fault. */
		FAILS
	}

	private static final class Case {
		final String name;
		final Expect expect;
		final String[] args;
		final List<String> mentions;
		final Path output;
		Consumer<CliRun> check = r -> {};

		Case(String name, Expect expect, String[] args, Path output, String... mentions) {
			this.name = name;
			this.expect = expect;
			this.args = args;
			this.output = output;
			this.mentions = Arrays.asList(mentions);
		}

		Case then(Consumer<CliRun> more) {
			this.check = more;
			return this;
		}
	}

	// ---------------------------------------------------------------- running

	private static CliRun run(String[] args) throws Exception {
		ExecutorService single = Executors.newSingleThreadExecutor();
		try {
			Future<CliRun> run = single.submit(() -> CliRun.of(args));
			try {
				return run.get(120, TimeUnit.SECONDS);
			} catch (TimeoutException e) {
				run.cancel(true);
				throw new AssertionError("no answer in 120 s (hang?): " + String.join(" ", args));
			}
		} finally {
			single.shutdown();
		}
	}

	private static void check(Case c) throws Exception {
		cases++;
		CliRun r;
		try {
			r = run(c.args);
		} catch (java.util.concurrent.ExecutionException e) {
			crashes++;
			throw new AssertionError(c.name + ": an exception escaped run()", e.getCause());
		}
		boolean trace = r.err.contains("\tat ") || r.err.contains("Exception in thread") || r.out.contains("\tat ");
		if (r.code == FijiClipCli.INTERNAL_ERROR || trace) {
			crashes++;
			fail(c.name + ": crash (exit 3 or stack trace)\n" + r);
		}
		switch (c.expect) {
			case WORKS:
				assertEquals(0, r.code, c.name + "\n" + r);
				break;
			case SKIPS:
				assertEquals(0, r.code, c.name + "\n" + r);
				mentions(c, r);
				break;
			case FAILS:
				assertNotEquals(0, r.code, c.name + "\n" + r);
				mentions(c, r);
				if (c.output != null) {
					assertFalse(Files.exists(c.output), c.name + ": " + c.output + " written although the command failed");
				}
				break;
			default:
				throw new AssertionError(c.expect);
		}
		if (c.output != null && c.output.getParent() != null) {
			assertFalse(BadInputCorpus.anyPart(c.output.getParent()), c.name + ": a .part file was left behind\n" + r);
		}
		c.check.accept(r);
		clear++;
		String said = r.err.lines().filter(l -> l.startsWith("fiji-clip:") || l.contains("skip") || l.contains("Skip")
			|| l.contains("batch")).collect(Collectors.joining(" | "));
		System.out.println("[bad input] " + c.name + " -> exit " + r.code + (said.isEmpty() ? "" : ": " + said));
		if (Boolean.getBoolean("badinput.verbose")) System.out.println(r.err.replace("\r", ""));
	}

	private static void mentions(Case c, CliRun r) {
		String err = r.err.toLowerCase(Locale.ROOT);
		for (String m : c.mentions) {
			assertTrue(err.contains(m.toLowerCase(Locale.ROOT)), c.name + ": standard error should name '" + m + "'\n"
				+ r);
		}
	}

	// ---------------------------------------------------------------- argument lists

	private static String[] label(Path model, Path out, String labels, Path... paths) {
		List<String> a = new ArrayList<>(List.of("label", "--threads", "1", "--device", "cpu", "--model",
			model.toString()));
		if (labels != null) a.addAll(List.of("--labels", labels));
		if (out != null) a.addAll(List.of("--out", out.toString()));
		for (Path p : paths) a.add(p.toString());
		return a.toArray(new String[0]);
	}

	private static String[] train(Path data, Path out, String... more) {
		List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(), "--preset",
			"tiny", "--threads", "1"));
		List<String> given = Arrays.asList(more);
		// defaults unless the case gives its own
		for (String[] d : new String[][] { { "--batch-size", "8" }, { "--device", "cpu" }, { "--steps", "1" } }) {
			if (!given.contains(d[0])) a.addAll(Arrays.asList(d));
		}
		a.addAll(given);
		return a.toArray(new String[0]);
	}

	private static String[] with(String[] args, String... more) {
		List<String> a = new ArrayList<>(Arrays.asList(args));
		a.addAll(Arrays.asList(more));
		return a.toArray(new String[0]);
	}

	private static long rows(String csv, String image) {
		return csv.lines().filter(l -> l.startsWith(image + ",")).count();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new AssertionError("cannot read " + file, e);
		}
	}

	/** A training folder with the good images and a captions.csv with the given extra lines. */
	private static Path trainFolder(String name, String... extraLines) throws IOException {
		Path folder = dir.resolve("train").resolve(name);
		Files.createDirectories(folder);
		BadInputCorpus.captions(folder, BadInputCorpus.goodImages(folder), extraLines);
		return folder;
	}

	private static Path outFile(String name) throws IOException {
		return Files.createDirectories(dir.resolve("out").resolve(name)).resolve(name + ".zip");
	}

	// ---------------------------------------------------------------- the corpus

	@TestFactory
	List<DynamicTest> badInputs() throws Exception {
		Path colour = ColourModel.file();
		List<Case> all = new ArrayList<>();
		imageCases(colour, all);
		captionCases(all);
		modelCases(colour, all);
		parameterCases(colour, all);
		List<DynamicTest> tests = new ArrayList<>();
		for (Case c : all) tests.add(DynamicTest.dynamicTest(c.name, () -> check(c)));
		tests.add(DynamicTest.dynamicTest("summary", () -> {
			String summary = String.format(Locale.ROOT, "bad inputs: %d cases, %d clear errors or reported skips, %d crashes",
				cases, clear, crashes);
			System.out.println(summary);
			assertEquals(0, crashes, summary);
			assertEquals(all.size(), cases, summary);
		}));
		return tests;
	}

	private void imageCases(Path colour, List<Case> all) throws IOException {
		for (String kind : new java.util.TreeSet<>(BadInputCorpus.IMAGE_KINDS.keySet())) {
			boolean works = BadInputCorpus.IMAGE_KINDS.get(kind);
			// label a folder with one good image and this one
			Path folder = dir.resolve("label-images").resolve(kind);
			ColourModel.save(folder.resolve("good.png"), "red", 16, 16);
			BadInputCorpus.image(folder, kind);
			Path out = dir.resolve("label-out").resolve(kind + ".csv");
			Files.createDirectories(out.getParent());
			Case c = new Case("label folder with " + kind, works ? Expect.WORKS : Expect.SKIPS,
				label(colour, out, "red,green,blue,black", folder), out, kind);
			int planes = kind.equals("multipage.tif") ? 3 : 1;
			c.then(r -> {
				String csv = read(out);
				assertEquals(1, rows(csv, "good.png"), csv);
				assertEquals(works ? planes : 0, rows(csv, kind), kind + "\n" + csv + "\n" + r);
				if (kind.equals("huge_header.png")) {
					assertTrue(r.err.contains("20000"), "the size should be the reason given\n" + r);
				}
			});
			all.add(c);
			// train on a captions.csv that names it
			Path data = trainFolder("image-" + kind);
			BadInputCorpus.image(data, kind);
			Files.writeString(data.resolve("captions.csv"), kind + ",red\n", java.nio.file.StandardOpenOption.APPEND);
			Path model = outFile("image-" + kind);
			all.add(new Case("train with " + kind + " in captions.csv", works ? Expect.WORKS : Expect.SKIPS,
				train(data, model), model, works ? new String[0] : new String[] { kind }).then(r -> assertTrue(Files
					.isRegularFile(model), r.toString())));
		}
		// a symlink loop in a folder: no hang, the good image is labelled
		Path loop = dir.resolve("label-images").resolve("symlink-loop");
		ColourModel.save(loop.resolve("good.png"), "red", 16, 16);
		Files.createSymbolicLink(loop.resolve("loop"), loop);
		Files.createSymbolicLink(loop.resolve("a"), loop.resolve("b"));
		Files.createSymbolicLink(loop.resolve("b"), loop.resolve("a"));
		all.add(new Case("label folder with a symlink loop", Expect.SKIPS, label(colour, null, "red,green", loop), null,
			"loop/")
			.then(r -> assertTrue(rows(r.out, "good.png") >= 1, r.toString())));
	}

	private void captionCases(List<Case> all) throws IOException {
		Path data;
		// missing column
		data = trainFolder("missing-column");
		Files.writeString(data.resolve("captions.csv"), read(data.resolve("captions.csv")).replace("image,caption",
			"image,text"));
		all.add(new Case("captions: missing column", Expect.FAILS, train(data, outFile("missing-column")),
			outFile("missing-column"), "captions.csv", "caption"));
		// wrong separator
		data = trainFolder("wrong-separator");
		Files.writeString(data.resolve("captions.csv"), read(data.resolve("captions.csv")).replace(',', ';'));
		all.add(new Case("captions: semicolons in a .csv", Expect.WORKS, train(data, outFile("semicolons")), outFile(
			"semicolons")));
		all.add(new Case("captions: wrong --separator (tab for a ; table)", Expect.FAILS, train(data, outFile(
			"wrong-separator"), "--separator", "\t"), outFile("wrong-separator"), "captions.csv", "column"));
		data = trainFolder("wrong-separator-comma");
		all.add(new Case("captions: wrong --separator (; for a comma table)", Expect.FAILS, train(data, outFile(
			"wrong-separator-comma"), "--separator", ";"), outFile("wrong-separator-comma"), "captions.csv", "column"));
		// empty caption
		data = trainFolder("empty-caption", "red0.png,");
		all.add(new Case("captions: empty caption", Expect.SKIPS, train(data, outFile("empty-caption")), outFile(
			"empty-caption"), "red0.png", "empty caption"));
		// a 10 000-character caption
		data = trainFolder("long-caption", "red1.png," + "red ".repeat(2500));
		all.add(new Case("captions: 10 000-character caption", Expect.WORKS, train(data, outFile("long-caption")),
			outFile("long-caption")));
		// invalid UTF-8
		data = trainFolder("invalid-utf8");
		byte[] bytes = read(data.resolve("captions.csv")).getBytes(StandardCharsets.UTF_8);
		byte[] bad = Arrays.copyOf(bytes, bytes.length + 12);
		System.arraycopy(new byte[] { 'r', 'e', 'd', '0', '.', 'p', 'n', 'g', ',', (byte) 0xff, (byte) 0xfe, '\n' }, 0,
			bad, bytes.length, 12);
		Files.write(data.resolve("captions.csv"), bad);
		all.add(new Case("captions: invalid UTF-8", Expect.FAILS, train(data, outFile("invalid-utf8")), outFile(
			"invalid-utf8"), "captions.csv", "UTF-8"));
		// BOM
		data = trainFolder("bom");
		Files.writeString(data.resolve("captions.csv"), "\uFEFF" + read(data.resolve("captions.csv")));
		all.add(new Case("captions: UTF-8 BOM", Expect.WORKS, train(data, outFile("bom")), outFile("bom")));
		// CRLF
		data = trainFolder("crlf");
		Files.writeString(data.resolve("captions.csv"), read(data.resolve("captions.csv")).replace("\n", "\r\n"));
		all.add(new Case("captions: CRLF line ends", Expect.WORKS, train(data, outFile("crlf")), outFile("crlf")));
		// quoted commas and newlines
		data = trainFolder("quoted", "red0.png,\"red, a colour\nof blood\"", "\"green0.png\",\"green \"\"leaf\"\"\"");
		all.add(new Case("captions: quoted commas and newlines", Expect.WORKS, train(data, outFile("quoted")), outFile(
			"quoted")));
		// ../ path and absolute path outside the folder
		ColourModel.save(dir.resolve("train").resolve("outside.png"), "blue", 16, 16);
		data = trainFolder("dotdot", "../outside.png,blue");
		all.add(new Case("captions: ../ path", Expect.SKIPS, train(data, outFile("dotdot")), outFile("dotdot"),
			"../outside.png", "outside the dataset folder"));
		data = trainFolder("absolute", dir.resolve("train").resolve("outside.png").toAbsolutePath() + ",blue");
		all.add(new Case("captions: absolute path outside the folder", Expect.SKIPS, train(data, outFile("absolute")),
			outFile("absolute"), "outside.png", "outside the dataset folder"));
		// duplicate rows
		data = trainFolder("duplicates", "red0.png,red", "red0.png,red", "green1.png,green");
		all.add(new Case("captions: duplicate rows", Expect.WORKS, train(data, outFile("duplicates")), outFile(
			"duplicates")).then(r -> assertTrue(r.err.contains("duplicates collapsed"), r.toString())));
		// a missing file
		data = trainFolder("missing-file", "nowhere.png,red");
		all.add(new Case("captions: missing image file", Expect.SKIPS, train(data, outFile("missing-file")), outFile(
			"missing-file"), "nowhere.png", "file not found"));
		// an empty folder
		data = Files.createDirectories(dir.resolve("train").resolve("empty"));
		all.add(new Case("train: empty folder", Expect.FAILS, train(data, outFile("empty")), outFile("empty"), data
			.toString()));
	}

	private void modelCases(Path colour, List<Case> all) throws IOException {
		Path models = dir.resolve("models");
		Path image = ColourModel.save(dir.resolve("model-images").resolve("one.png"), "red", 16, 16);
		List<Object[]> bad = List.of(new Object[] { "truncated zip", BadInputCorpus.truncatedZip(models, colour) },
			new Object[] { "config/weights shape mismatch", BadInputCorpus.shapeMismatch(models) },
			new Object[] { "int32 weight", BadInputCorpus.wrongDtype(models) },
			new Object[] { "non-CLIP safetensors", BadInputCorpus.notClip(models) },
			new Object[] { "folder without config", BadInputCorpus.noConfig(models) },
			new Object[] { "format version 99", BadInputCorpus.newerFormat(models, colour) });
		for (Object[] b : bad) {
			String name = (String) b[0];
			Path model = (Path) b[1];
			String mention = model.getFileName().toString();
			Path csv = dir.resolve("model-out").resolve(mention + ".csv");
			Files.createDirectories(csv.getParent());
			all.add(new Case("label with model: " + name, Expect.FAILS, label(model, csv, "red,blue", image), csv,
				mention));
			Path zip = dir.resolve("model-out").resolve(mention + ".imported.zip");
			all.add(new Case("import model: " + name, Expect.FAILS, new String[] { "import", model.toString(), "--out", zip
				.toString(), "--threads", "1" }, zip, mention));
			if (!name.equals("int32 weight") && !name.equals("config/weights shape mismatch")
				&& !name.equals("non-CLIP safetensors"))
			{
				all.add(new Case("info with model: " + name, Expect.FAILS, new String[] { "info", "--threads", "1",
					"--model", model.toString() }, null, mention));
			}
		}
		// color with broken models and parameters
		Path colorOut = dir.resolve("color-out");
		all.add(new Case("color with model: truncated zip", Expect.FAILS, new String[] { "color", "--threads", "1",
			"--device", "cpu", "--model", models.resolve("truncated.zip").toString(), "-p", "sky", "--steps", "1", "--out",
			colorOut.resolve("a").toString() }, colorOut.resolve("a"), "truncated.zip"));
		all.add(new Case("color with model: format version 99", Expect.FAILS, new String[] { "color", "--threads", "1",
			"--device", "cpu", "--model", models.resolve("format99.zip").toString(), "-p", "sky", "--steps", "1", "--out",
			colorOut.resolve("b").toString() }, colorOut.resolve("b"), "format99.zip"));
		all.add(new Case("color --steps -1", Expect.FAILS, new String[] { "color", "--threads", "1", "--device", "cpu",
			"--model", colour.toString(), "-p", "sky", "--steps", "-1", "--out", colorOut.resolve("c").toString() },
			colorOut.resolve("c"), "steps", "-1")); // the shared ColorOptions names it in words, not as --steps
		all.add(new Case("color --lr NaN", Expect.FAILS, new String[] { "color", "--threads", "1", "--device", "cpu",
			"--model", colour.toString(), "-p", "sky", "--steps", "1", "--lr", "NaN", "--out", colorOut.resolve("d")
				.toString() }, colorOut.resolve("d"), "learning rate", "NaN"));
		// zip slip: refused, nothing is written outside
		Path slip = BadInputCorpus.zipSlip(models.resolve("slip"), colour);
		all.add(new Case("label with model: zip with ../ entry", Expect.FAILS, label(slip, null, "red,blue", image), null,
			"zipslip.zip", "../escaped.txt").then(r -> assertFalse(Files.exists(models.resolve("escaped.txt")), "zip entry escaped")));
	}

	private void parameterCases(Path colour, List<Case> all) throws IOException {
		Path image = ColourModel.save(dir.resolve("param-images").resolve("one.png"), "red", 16, 16);
		Path out = dir.resolve("param-out");
		Files.createDirectories(out);
		all.add(new Case("--labels \"\"", Expect.FAILS, label(colour, out.resolve("a.csv"), "", image), out.resolve(
			"a.csv"), "labels"));
		all.add(new Case("one label", Expect.WORKS, label(colour, null, "red", image), null).then(r -> assertEquals(1,
			rows(r.out, "one.png"))));
		String many = IntStream.range(0, 10_000).mapToObj(i -> "l" + i).collect(Collectors.joining(","));
		all.add(new Case("10 000 labels", Expect.WORKS, label(colour, null, many, image), null).then(r -> assertEquals(1,
			rows(r.out, "one.png"))));
		all.add(new Case("label of only spaces", Expect.FAILS, label(colour, out.resolve("b.csv"), "red,   ,blue", image),
			out.resolve("b.csv"), "label"));
		all.add(new Case("template without {}", Expect.FAILS, with(label(colour, out.resolve("c.csv"), "red,blue", image),
			"--template", "a photo"), out.resolve("c.csv"), "{}"));
		all.add(new Case("label --device gpu", Expect.FAILS, new String[] { "label", "--threads", "1", "--device", "gpu",
			"--model", colour.toString(), "--labels", "red", "--out", out.resolve("d.csv").toString(), image.toString() },
			out.resolve("d.csv"), "--device gpu"));
		Path missing = out.resolve("no/such/folder/e.csv");
		all.add(new Case("label --out in a missing folder", Expect.FAILS, label(colour, missing, "red", image), missing,
			"does not exist"));
		Path existing = Files.writeString(out.resolve("existing.csv"), "keep me");
		all.add(new Case("label existing --out without --overwrite", Expect.FAILS, label(colour, existing, "red", image),
			null, "--overwrite").then(r -> assertEquals("keep me", read(existing))));
		Path readOnly = Files.createDirectories(out.resolve("read-only"));
		Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
		boolean root = Files.isWritable(readOnly);
		Path ro = readOnly.resolve("f.csv");
		// as root permissions do not stop the write, so it works; otherwise a clear error naming the file
		all.add(new Case("label --out in a read-only folder" + (root ? " (root: writable)" : ""), root ? Expect.WORKS
			: Expect.FAILS, label(colour, ro, "red", image), ro, root ? new String[0] : new String[] { "f.csv" }).then(
				r -> assertEquals(root, Files.exists(ro), r.toString())));

		Path data = trainFolder("params");
		for (String lr : List.of("-1", "NaN", "Infinity")) {
			Path model = outFile("lr" + lr);
			all.add(new Case("train --lr " + lr, Expect.FAILS, train(data, model, "--lr", lr), model, "--lr"));
		}
		for (String ema : List.of("1", "-0.5")) {
			Path model = outFile("ema" + ema);
			all.add(new Case("train --ema " + ema, Expect.FAILS, train(data, model, "--ema", ema), model, "--ema"));
		}
		for (String area : List.of("0", "1.5", "NaN")) {
			Path model = outFile("crop" + area);
			all.add(new Case("train --crop-area " + area, Expect.FAILS, train(data, model, "--crop-area", area), model,
				"--crop-area", "(0, 1]"));
		}
		Path cropped = outFile("crop-area");
		all.add(new Case("train --crop-area 0.5", Expect.WORKS, train(data, cropped, "--crop-area", "0.5", "--steps", "2"),
			cropped));
		Path averaged = outFile("ema");
		all.add(new Case("train --ema 0.99", Expect.WORKS, train(data, averaged, "--ema", "0.99", "--steps", "2"), averaged));
		Path diverged = outFile("lr1e6");
		// the model is not written; the last good checkpoint is kept on purpose (and named in the message)
		all.add(new Case("train --lr 1e6", Expect.FAILS, train(data, diverged, "--lr", "1e6", "--steps", "5"),
			diverged, "diverged", "--lr"));
		Path big = outFile("big-batch");
		all.add(new Case("train --batch-size larger than the data", Expect.WORKS, train(data, big, "--batch-size", "1000"),
			big).then(r -> assertTrue(r.err.contains("Batch size 1000 is larger than"), r.toString())));
		Path zero = outFile("zero");
		all.add(new Case("train --epochs -1", Expect.FAILS, train(data, zero, "--epochs", "-1"), zero, "--epochs", "automatic"));
		Path gpu = outFile("gpu");
		all.add(new Case("train --device gpu", Expect.FAILS, train(data, gpu, "--device", "gpu"), gpu, "gpu"));
		Path trainMissing = dir.resolve("out/no/such/folder/m.zip");
		all.add(new Case("train --out in a missing folder", Expect.FAILS, train(data, trainMissing), trainMissing,
			"--out", "does not exist").then(r -> assertFalse(r.err.contains("captions.csv"), "refused before scanning\n"
				+ r)));
		Path trainExisting = Files.write(outFile("existing"), new byte[] { 42 });
		all.add(new Case("train existing --out without --overwrite", Expect.FAILS, train(data, trainExisting), null,
			"--overwrite").then(r -> assertTrue(read(trainExisting).length() == 1)));
		Path trainRo = readOnly.resolve("t.zip");
		all.add(new Case("train --out in a read-only folder" + (root ? " (root: writable)" : ""), root ? Expect.WORKS
			: Expect.FAILS, train(data, trainRo), trainRo, root ? new String[0] : new String[] { "t.zip" }).then(
				r -> assertEquals(root, Files.exists(trainRo), r.toString())));
	}
}
