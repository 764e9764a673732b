package sc.fiji.clip.bench;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.train.TrainingOptions;

/**
 * Train + label as a user runs them, against a plain PyTorch loop ({@code bench/reference/train_loop.py}) in the same
 * run: a captioned folder of 360 demo shapes at 128 px (20 colour-and-shape classes), {@code ./fiji-clip train}
 * (preset seed, batch 128, 900 steps, no validation split) then {@code ./fiji-clip label} of 120 held-out shapes,
 * each a fresh process timed from its start to its exit, with the trainer's default augmentation and with
 * {@code --no-augment}; the PyTorch loop starts from the same weights (the model file the trainer would start from),
 * for each of three seeds.
 * Then the first-result latency: {@code ./fiji-clip label} of one image to its row on standard output, and a
 * one-line macro through {@code ./fiji-clip macro}. Not a unit test: {@code java -cp ... sc.fiji.clip.bench.EndToEnd
 * [threads=2] [python=bench/.venv/bin/python] [steps=900] [seeds=1,2,3] [json=FILE]}.
 */
public final class EndToEnd {

	private static final Path WORK = Paths.get("bench/work/end-to-end");
	private static final String TEMPLATE = "a {}";

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		String threads = a.getOrDefault("threads", "2");
		String python = a.getOrDefault("python", "bench/.venv/bin/python");
		int steps = Integer.parseInt(a.getOrDefault("steps", "900"));
		int batch = 128;
		Path train = WORK.resolve("train"), test = WORK.resolve("test");
		if (!Files.exists(train.resolve("captions.csv"))) ShapesDataset.write(train, 360, 128, 31);
		if (!Files.exists(test.resolve("captions.csv"))) ShapesDataset.write(test, 120, 128, 32);
		List<String> labels = new ArrayList<>();
		for (String c : ShapesDataset.COLORS) for (String s : ShapesDataset.SHAPES) labels.add(c + " " + s);
		String labelList = String.join(",", labels);
		Map<String, String> truth = truth(test);
		List<Map<String, Object>> runs = new ArrayList<>();
		Map<String, double[]> sums = new LinkedHashMap<>(); // run -> {total seconds, accuracy, count}
		for (String seedText : a.getOrDefault("seeds", "1,2,3").split(",")) {
			long seed = Long.parseLong(seedText.trim());
			Path init = WORK.resolve("init-" + seed + ".zip");
			try (ClipModel start = ClipModel.create(ClipPreset.parse("seed").config(), seed, Device.cpu())) {
				ModelFiles.save(start, init);
			}
			for (String setting : new String[] { "defaults", "--no-augment" }) {
				runs.add(fijiClip(setting, seed, train, test, labelList, truth, threads, steps, batch));
			}
			runs.add(pytorchLoop(python, seed, init, train, test, labelList, threads, steps, batch));
			for (Map<String, Object> r : runs.subList(runs.size() - 3, runs.size())) {
				double[] sum = sums.computeIfAbsent((String) r.get("run"), k -> new double[3]);
				sum[0] += (double) r.get("total_seconds");
				sum[1] += (double) r.get("accuracy");
				sum[2]++;
			}
		}
		List<Map<String, Object>> means = new ArrayList<>();
		double[] reference = sums.get(PYTORCH);
		for (Map.Entry<String, double[]> e : sums.entrySet()) {
			double[] v = e.getValue();
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("run", e.getKey());
			m.put("seeds", (int) v[2]);
			m.put("mean_total_seconds", v[0] / v[2]);
			m.put("mean_accuracy", v[1] / v[2]);
			m.put("ratio_to_pytorch", (v[0] / v[2]) / (reference[0] / reference[2]));
			means.add(m);
			System.out.printf(Locale.ROOT, "%s: mean %.1f s, %.1f %%, %.2fx the PyTorch loop%n", e.getKey(), v[0] / v[2],
				100 * v[1] / v[2], m.get("ratio_to_pytorch"));
		}

		Path model = WORK.resolve("model-defaults-1.zip");
		Path one = test.resolve(Files.readAllLines(test.resolve("captions.csv")).get(1).split(",")[0]);
		double firstRow = untilFirstRow(List.of("./fiji-clip", "label", "--model", model.toString(), "--labels", labelList,
			"--threads", threads, one.toString()));
		Path macro = WORK.resolve("one-line.ijm");
		Files.writeString(macro, "open(\"" + one.toAbsolutePath() + "\"); run(\"Label Images...\", \"model=["
			+ model.toAbsolutePath() + "] images=[current image] folder=[] labels=[" + labelList
			+ "] topk=1 slicelabels=true device=cpu results=true\");\n");
		double macroSeconds = timed(List.of("./fiji-clip", "macro", macro.toString()), "one-line macro");

		Map<String, Object> json = new LinkedHashMap<>();
		json.put("scenario", String.format(Locale.ROOT, "`EndToEnd`: a captioned folder of 360 demo shapes at 128 px (20 "
			+ "classes), `fiji-clip train --preset seed --batch-size %d --steps %d --val-fraction 0 --threads %s`, then "
			+ "`fiji-clip label --template \"a {}\"` of 120 held-out shapes (accuracy against their captions); each a fresh "
			+ "process, timed from its start to its exit. The PyTorch loop (`bench/reference/train_loop.py`) starts from the "
			+ "same weights, trains the same recipe without augmentation and labels the same images in one process. Seeds 1-3 "
			+ "(start weights and batch order); means over them.", batch, steps, threads));
		json.put("threads", Integer.parseInt(threads));
		json.put("means", means);
		json.put("runs", runs);
		json.put("label_first_result_seconds", firstRow);
		json.put("macro_first_result_seconds", macroSeconds);
		json.put("macro", Files.readString(macro).trim());
		Bench.finish(a, "end-to-end", json);
	}

	private static final String PYTORCH = "PyTorch loop (bench/reference/train_loop.py)";

	/** {@code fiji-clip train} with {@code setting} then {@code fiji-clip label}, each a fresh process. */
	private static Map<String, Object> fijiClip(String setting, long seed, Path train, Path test, String labels,
		Map<String, String> truth, String threads, int steps, int batch) throws IOException, InterruptedException
	{
		boolean defaults = setting.equals("defaults");
		Path model = WORK.resolve("model-" + (defaults ? "defaults" : setting.replace("-", "")) + "-" + seed + ".zip");
		Path out = WORK.resolve("labels.csv");
		List<String> command = new ArrayList<>(List.of("./fiji-clip", "train", "--preset", "seed", "--batch-size",
			"" + batch, "--steps", "" + steps, "--val-fraction", "0", "--threads", threads, "--seed", "" + seed, "--out",
			model.toString(), "--overwrite"));
		if (!defaults) command.add(setting);
		command.addAll(List.of("--data", train.toString()));
		double trainSeconds = timed(command, "train " + setting + " seed " + seed);
		double labelSeconds = timed(List.of("./fiji-clip", "label", "--model", model.toString(), "--labels", labels,
			"--template", TEMPLATE, "--threads", threads, "--out", out.toString(), "--overwrite", test.toString()),
			"label " + setting + " seed " + seed);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("run", "fiji-clip train" + (defaults ? "" : " " + setting) + " + label");
		r.put("seed", seed);
		r.put("train_seconds", trainSeconds);
		r.put("label_seconds", labelSeconds);
		r.put("total_seconds", trainSeconds + labelSeconds);
		r.put("accuracy", accuracy(out, truth));
		System.out.printf(Locale.ROOT, "%s, seed %d: train %.1f s, label %.1f s, accuracy %.1f %%%n", r.get("run"), seed,
			trainSeconds, labelSeconds, 100 * (double) r.get("accuracy"));
		return r;
	}

	/** The plain PyTorch loop from the start weights {@code init}, train and label in one process. */
	private static Map<String, Object> pytorchLoop(String python, long seed, Path init, Path train, Path test,
		String labels, String threads, int steps, int batch) throws IOException, InterruptedException
	{
		Path json = WORK.resolve("pytorch-" + seed + ".json");
		double seconds = timed(List.of(python, "bench/reference/train_loop.py", "--init", init.toString(), "--train",
			train.toString(), "--test", test.toString(), "--labels", labels, "--template", TEMPLATE, "--steps", "" + steps,
			"--batch", "" + batch, "--lr", "" + TrainingOptions.builder().build().learningRate(), "--seed", "" + seed,
			"--threads", threads, "--out", json.toString()), "pytorch loop seed " + seed);
		JsonObject py = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
		double label = py.get("label_seconds").getAsDouble();
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("run", PYTORCH);
		r.put("seed", seed);
		r.put("train_seconds", seconds - label);
		r.put("label_seconds", label);
		r.put("total_seconds", seconds);
		r.put("accuracy", py.get("accuracy").getAsDouble());
		r.put("script", new Gson().fromJson(py, Map.class));
		System.out.printf(Locale.ROOT, "PyTorch loop, seed %d: %.1f s (label %.1f s), accuracy %.1f %%%n", seed, seconds,
			label, 100 * py.get("accuracy").getAsDouble());
		return r;
	}

	/** Runs {@code command} to its end; its wall seconds. Fails on a non-zero exit. */
	private static double timed(List<String> command, String what) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(WORK.resolve(
			what.replaceAll("[^a-z0-9]+", "-") + ".log").toFile()).start();
		int rc = p.waitFor();
		double seconds = (System.nanoTime() - t0) / 1e9;
		if (rc != 0) throw new IllegalStateException(what + " failed (exit " + rc + "): " + String.join(" ", command));
		System.out.printf(Locale.ROOT, "  %s: %.1f s%n", what, seconds);
		return seconds;
	}

	/** Seconds from starting {@code command} to the first row after the CSV header on its standard output. */
	private static double untilFirstRow(List<String> command) throws IOException, InterruptedException {
		long t0 = System.nanoTime();
		Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		double seconds = Double.NaN;
		try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			int lines = 0;
			for (String line; (line = in.readLine()) != null;) {
				if (++lines == 2 && Double.isNaN(seconds)) seconds = (System.nanoTime() - t0) / 1e9;
			}
		}
		if (p.waitFor() != 0 || Double.isNaN(seconds)) throw new IllegalStateException("label of one image failed: " + command);
		System.out.printf(Locale.ROOT, "  label one image, first row: %.2f s%n", seconds);
		return seconds;
	}

	/** Image path (as in captions.csv) to its class: the caption without the template's "a ". */
	private static Map<String, String> truth(Path folder) throws IOException {
		Map<String, String> truth = new HashMap<>();
		List<String> lines = Files.readAllLines(folder.resolve("captions.csv"));
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			truth.put(f[0], f[1].substring(2));
		}
		return truth;
	}

	/** The fraction of rows of a {@code label} CSV whose label is the image's class. */
	private static double accuracy(Path csv, Map<String, String> truth) throws IOException {
		List<String> lines = Files.readAllLines(csv);
		List<String> header = List.of(lines.get(0).split(","));
		int image = header.indexOf("image"), label = header.indexOf("label");
		int correct = 0;
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",");
			if (f[label].equals(truth.get(f[image]))) correct++;
		}
		return correct / (double) (lines.size() - 1);
	}
}
