package sc.fiji.clip.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code bench/results.md} from the suite's JSON: one table of every figure with its ratio and target. */
final class ResultsTable {

	private ResultsTable() {}

	static String markdown(JsonObject r) {
		StringBuilder md = new StringBuilder("# Fiji CLIP benchmarks\n\n");
		JsonObject m = r.getAsJsonObject("machine");
		md.append(String.format(Locale.ROOT, "Machine: %s, %d cores; %d threads; Java %s; commit %s; %s; load average at "
			+ "start %s. Written by `bench/run`.%n%n", str(m, "cpu"), m.get("cores").getAsInt(), m.get("threads").getAsInt(),
			str(m, "java"), str(m, "commit"), str(m, "date"), str(m, "load_average_at_start")));
		md.append(earlierRuns(r));
		reference(md, r.get("reference"));
		fashionMnist(md, r.get("fashion-mnist"));
		defaults(md, r.get("defaults"));
		endToEnd(md, r.get("end-to-end"));
		FewShotTable.markdown(md, r.get("few-shot"));
		large(md, r.get("large-model"), r.get("startup"));
		modelCache(md, r.get("model-cache"));
		memory(md, r.get("memory"));
		SearchTable.markdown(md, r.get("search"));
		spark(md);
		return md.toString();
	}

	/** The Spark job's section: its benchmark lives in spark/ (another Maven project) and writes bench/spark.md. */
	private static void spark(StringBuilder md) {
		Path file = Paths.get("bench/spark.md");
		if (!Files.exists(file)) return;
		try {
			md.append('\n').append(Files.readString(file).strip()).append('\n');
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** One paragraph per earlier run whose sections a partial run kept: which sections, commit, date and load. */
	static String earlierRuns(JsonObject r) {
		StringBuilder md = new StringBuilder();
		for (JsonElement run : BenchmarkSuite.earlierRuns(r)) {
			JsonObject e = run.getAsJsonObject();
			JsonObject em = e.getAsJsonObject("machine");
			List<String> kept = new ArrayList<>();
			for (JsonElement k : e.getAsJsonArray("sections")) kept.add(k.getAsString());
			md.append(String.format(Locale.ROOT, "%s %s from an earlier run: commit %s, %s, load average at start %s.%n%n",
				kept.size() == 1 ? "Section" : "Sections", String.join(", ", kept) + (kept.size() == 1 ? " is" : " are"),
				str(em, "commit"), str(em, "date"), str(em, "load_average_at_start")));
		}
		return md.toString();
	}

	private static void reference(StringBuilder md, JsonElement e) {
		md.append("## Side by side with the PyTorch reference\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		JsonObject ref = e.getAsJsonObject();
		JsonObject python = ref.getAsJsonObject("machine").getAsJsonObject("python");
		md.append(String.format(Locale.ROOT, "PyTorch %s (Python %s, %s, %s), %d threads each, same weights, batch and data "
			+ "(`bench/reference/`); each figure the median of %s rounds, Java then PyTorch in turn.%n%n", str(python, "torch"),
			str(python, "python"), str(python, "cpu_capability"), str(python, "attention"), python.get("threads").getAsInt(),
			str(ref.getAsJsonObject("settings"), "rounds")));
		md.append("| figure | preset | Fiji CLIP (DJL) | PyTorch | Java/PyTorch | target | met |\n|---|---|---|---|---|---|---|\n");
		for (JsonElement row : ref.getAsJsonArray("figures")) {
			JsonObject f = row.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", str(f, "figure").trim(), str(f, "preset"),
				num(f, "java"), num(f, "pytorch"), num(f, "java_over_pytorch"), str(f, "target"),
				f.has("met") ? (f.get("met").getAsBoolean() ? "yes" : "**no**") : ""));
		}
		md.append("\nSame model on both sides (max |Java − PyTorch|):\n\n| check |");
		JsonObject presets = ref.getAsJsonObject("presets");
		for (String p : presets.keySet()) md.append(' ').append(p).append(" |");
		md.append("\n|---|").append("---|".repeat(presets.size())).append('\n');
		for (String check : new String[] { "image_embeds_max_abs_diff", "text_embeds_max_abs_diff", "loss_step1_abs_diff",
			"loss_all_steps_max_abs_diff", "label_probs_max_abs_diff", "label_top1_agreement", "colour_rgb_max_abs_diff" })
		{
			md.append("| ").append(check.replace('_', ' ')).append(" |");
			for (String p : presets.keySet()) {
				JsonObject parity = presets.getAsJsonObject(p).getAsJsonObject("parity");
				md.append(parity != null && parity.has(check) ? String.format(Locale.ROOT, " %.3g |", parity.get(check).getAsDouble()) : " |");
			}
			md.append('\n');
		}
		md.append("\n");
	}

	private static void fashionMnist(StringBuilder md, JsonElement e) {
		md.append("## Fashion-MNIST: train on 60 000 images, label 10 000 zero-shot\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		JsonObject f = e.getAsJsonObject();
		JsonArray runs = f.getAsJsonArray("runs");
		double mean = f.get("accuracy_mean").getAsDouble(), slowest = f.get("slowest_run_seconds").getAsDouble();
		md.append("| figure | value | target | met |\n|---|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| test accuracy (10 000 images, 10 class names), mean of %d seeds | %.2f %% "
			+ "(min %.2f %%, max %.2f %%) | ≥ 90 %% | %s |%n", runs.size(), 100 * mean, 100 * f.get("accuracy_min").getAsDouble(),
			100 * f.get("accuracy_max").getAsDouble(), mean >= 0.9 ? "yes" : "**no**"));
		md.append(String.format(Locale.ROOT, "| wall time, training + labelling, slowest seed | %.0f s | ≤ 600 s | %s |%n",
			slowest, slowest <= 600 ? "yes" : "**no**"));
		md.append("\n| seed | test accuracy | training (decoding included) | labelling the test folder |\n|---|---|---|---|\n");
		for (JsonElement run : runs) {
			JsonObject r = run.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| %d | %.2f %% | %.0f s, %.0f images/s | %.1f s, %.0f images/s |%n",
				r.get("seed").getAsLong(), 100 * r.get("accuracy").getAsDouble(), r.get("train_seconds").getAsDouble(),
				r.get("train_images_per_second").getAsDouble(), r.get("label_seconds").getAsDouble(),
				r.get("label_images_per_second").getAsDouble()));
		}
		JsonObject first = runs.get(0).getAsJsonObject();
		JsonObject settings = f.getAsJsonObject("settings");
		boolean averaged = settings != null && settings.has("ema") && settings.get("ema").getAsDouble() > 0;
		md.append("\nSettings: `").append(settings).append("`. Curve of seed ").append(first.get("seed"))
			.append(averaged ? " (validation of the weight average)" : "")
			.append(":\n\n| epoch | train loss | val loss | val accuracy | seconds |\n|---|---|---|---|---|\n");
		for (JsonElement c : first.getAsJsonArray("curve")) {
			JsonObject p = c.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.1f %% | %.0f |%n", p.get("epoch").getAsInt(),
				p.get("trainLoss").getAsDouble(), p.get("valLoss").getAsDouble(), 100 * p.get("valAccuracy").getAsDouble(),
				p.get("seconds").getAsDouble()));
		}
		md.append("\n");
	}

	private static void defaults(StringBuilder md, JsonElement e) {
		md.append("## The training defaults: one change at a time, 3 data sets x 3 seeds\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		md.append("`DefaultsStudy`: each row changes one of the trainer's defaults; held-out images labelled zero-shot, "
			+ "mean accuracy over seeds 1-3 (lowest-highest). fmnist-small: 20 Fashion-MNIST images per class upscaled to 56 "
			+ "px, preset small, 600 steps of 64; shapes-128: 400 demo shapes at 128 px, 20 classes (colour and shape), "
			+ "preset seed, 600 steps of 64; fmnist-6000: 600 images per class at 28 px, preset small, 1 000 steps of 128. "
			+ "`10-epochs` trains 10 epochs, the trainer's length before it had an automatic one (a few dozen steps on the "
			+ "small folders); the automatic length, 10 epochs but at least 600 steps, is the `defaults` row on both small "
			+ "folders and 600 steps on fmnist-6000.\n\n");
		JsonObject a = e.getAsJsonObject();
		List<String> sets = new ArrayList<>(), settings = new ArrayList<>();
		for (JsonElement run : a.getAsJsonArray("runs")) {
			JsonObject o = run.getAsJsonObject();
			if (!sets.contains(o.get("set").getAsString())) sets.add(o.get("set").getAsString());
			if (!settings.contains(o.get("setting").getAsString())) settings.add(o.get("setting").getAsString());
		}
		md.append("| setting |");
		for (String set : sets) md.append(' ').append(set).append(" |");
		md.append("\n|---|");
		for (int i = 0; i < sets.size(); i++) md.append("---|");
		md.append('\n');
		for (String setting : settings) {
			md.append("| ").append(setting).append(" |");
			for (String set : sets) {
				double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, sum = 0;
				int n = 0, steps = 0;
				for (JsonElement run : a.getAsJsonArray("runs")) {
					JsonObject o = run.getAsJsonObject();
					if (!o.get("set").getAsString().equals(set) || !o.get("setting").getAsString().equals(setting)) continue;
					double v = 100 * o.get("accuracy").getAsDouble();
					lo = Math.min(lo, v);
					hi = Math.max(hi, v);
					sum += v;
					n++;
					steps = o.get("steps").getAsInt();
				}
				md.append(n == 0 ? " - |" : String.format(Locale.ROOT, " **%.1f %%** (%.1f-%.1f; %d steps) |", sum / n, lo, hi, steps));
			}
			md.append('\n');
		}
		md.append("\n");
	}

	private static void endToEnd(StringBuilder md, JsonElement e) {
		md.append("## End to end, as a user runs it: train + label a small folder\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		JsonObject a = e.getAsJsonObject();
		List<Long> seeds = new ArrayList<>();
		for (JsonElement run : a.getAsJsonArray("runs")) {
			long seed = run.getAsJsonObject().get("seed").getAsLong();
			if (!seeds.contains(seed)) seeds.add(seed);
		}
		md.append(a.get("scenario").getAsString()).append("\n\n| run |");
		for (long seed : seeds) md.append(" seed ").append(seed).append(" |");
		md.append(" mean | accuracy | time against the PyTorch loop |\n|---|");
		for (int i = 0; i < seeds.size(); i++) md.append("---|");
		md.append("---|---|---|\n");
		for (JsonElement mean : a.getAsJsonArray("means")) {
			JsonObject m = mean.getAsJsonObject();
			String name = m.get("run").getAsString();
			md.append("| ").append(name).append(" |");
			for (JsonElement run : a.getAsJsonArray("runs")) {
				JsonObject o = run.getAsJsonObject();
				if (!o.get("run").getAsString().equals(name)) continue;
				md.append(String.format(Locale.ROOT, " %.1f s (train %.1f, label %.1f), %.1f %% |", o.get("total_seconds")
					.getAsDouble(), o.get("train_seconds").getAsDouble(), o.get("label_seconds").getAsDouble(),
					100 * o.get("accuracy").getAsDouble()));
			}
			md.append(String.format(Locale.ROOT, " **%.1f s** | **%.1f %%** | **%.2fx** |%n", m.get("mean_total_seconds")
				.getAsDouble(), 100 * m.get("mean_accuracy").getAsDouble(), m.get("ratio_to_pytorch").getAsDouble()));
		}
		md.append(String.format(Locale.ROOT, "%nFirst result: `fiji-clip label` on one image %.2f s from the command to "
			+ "its row; a one-line macro (`fiji-clip macro`) %.2f s.%n%n", a.get("label_first_result_seconds").getAsDouble(),
			a.get("macro_first_result_seconds").getAsDouble()));
	}

	private static void large(StringBuilder md, JsonElement e, JsonElement startup) {
		md.append("## ViT-B/32-shaped model (random weights)\n\n| figure | value |\n|---|---|\n");
		if (isObject(e)) {
			JsonObject l = e.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| labelling, 224 px planes, batch 32 | %.1f images/s |%n", l.get("images_per_second").getAsDouble()));
			md.append(String.format(Locale.ROOT, "| measured fp32 matmul rate (2048², libtorch) | %.1f GFLOP/s |%n", l.get("matmul_gflops").getAsDouble()));
			md.append(String.format(Locale.ROOT, "| image encoder work | %.2f GFLOP/image |%n", l.get("gflops_per_image").getAsDouble()));
			md.append(String.format(Locale.ROOT, "| fraction of the matmul rate reached | %.0f %% |%n", 100 * l.get("fraction_of_matmul_rate").getAsDouble()));
			md.append(String.format(Locale.ROOT, "| peak resident memory (labelling process) | %.0f MB |%n", l.get("peak_rss_mb").getAsDouble()));
		} else {
			md.append("| labelling | not run or failed |\n");
		}
		if (isObject(startup)) {
			JsonObject s = startup.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| start-up to first label (`fiji-clip label`, one image, median of 3) | %.1f s |%n",
				s.get("seconds_to_first_label").getAsDouble()));
			md.append(String.format(Locale.ROOT, "| peak resident memory of that process | %.0f MB |%n", s.get("peak_rss_mb").getAsDouble()));
		}
		md.append("\n");
	}

	private static void modelCache(StringBuilder md, JsonElement e) {
		md.append("## A macro labelling one image ten times (ViT-B/32-shaped model)\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		JsonObject c = e.getAsJsonObject();
		md.append("`run(\"Label Images...\", ...)` on one 224 x 224 RGB image, ten labels, through the macro bridge; the model "
			+ "cache off (a load per call, as before `ClipService`) and on (its default budget). Target: the other calls "
			+ "0.3 s or less each.\n\n| cache | first call | mean of the other calls | model loads | target met |\n|---|---|---|---|---|\n");
		for (String k : new String[] { "cache_off", "cache_on" }) {
			JsonObject run = c.getAsJsonObject(k);
			double others = run.get("mean_of_others_s").getAsDouble();
			md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.3f s | %d | %s |%n", k.equals("cache_off") ? "off" : "on",
				run.get("first_s").getAsDouble(), others, run.get("loads").getAsInt(), others <= 0.3 ? "yes" : "no"));
		}
		md.append("\n");
	}

	private static void memory(StringBuilder md, JsonElement e) {
		md.append("## Memory over long runs\n\n");
		if (!isObject(e)) {
			md.append("Not run or failed: ").append(e).append("\n");
			return;
		}
		JsonObject m = e.getAsJsonObject();
		md.append("Growth: the rise of the Theil-Sen line (median of the slopes between every two readings) through the "
			+ "readings after the first (warm-up), in percent of their median, computed here from the readings; single "
			+ "readings move by a few percent as the allocator takes and returns pages, and now and then peak by 10-15 %.\n\n");
		md.append("| run | resident memory (MB) at each report | growth after warm-up | target | met |\n|---|---|---|---|---|\n");
		row(md, m.get("training_steps").getAsInt() + " training steps of `tiny`", m.getAsJsonArray("training_rss_mb"));
		row(md, m.get("labelled_images").getAsInt() + " embedded images", m.getAsJsonArray("labelling_rss_mb"));
	}

	private static void row(StringBuilder md, String what, JsonArray series) {
		List<Long> readings = new ArrayList<>();
		for (JsonElement v : series) readings.add(Math.round(v.getAsDouble() * 1024));
		double growth = sc.fiji.clip.train.LongRunMemoryBenchmark.growthPercent(readings);
		StringBuilder s = new StringBuilder();
		for (JsonElement v : series) s.append(s.length() > 0 ? ", " : "").append(Math.round(v.getAsDouble()));
		md.append(String.format(Locale.ROOT, "| %s | %s | %+.1f %% | < 5 %% | %s |%n", what, s, growth, growth < 5 ? "yes" : "**no**"));
	}

	private static boolean isObject(JsonElement e) {
		return e != null && e.isJsonObject();
	}

	private static String str(JsonObject o, String key) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
	}

	private static String num(JsonObject o, String key) {
		if (!o.has(key) || o.get(key).isJsonNull()) return "";
		double v = o.get(key).getAsDouble();
		return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
	}
}
