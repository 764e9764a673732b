package sc.fiji.clip.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The markdown of the {@link FewShotTransfer} section: accuracy and time per method and k, forgetting, targets. */
final class FewShotTable {

	/** Method keys in the JSON rows and their names in the table. */
	private static final Map<String, String> METHODS = new LinkedHashMap<>();
	static {
		METHODS.put("cache", "few-shot cache");
		METHODS.put("probe", "linear probe");
		METHODS.put("fine_tune", "`train --from`");
		METHODS.put("fine_tune_locked", "`train --from --lock-image`");
		METHODS.put("scratch", "from scratch on the k images");
	}

	private FewShotTable() {}

	static void markdown(StringBuilder md, JsonElement e) {
		md.append("## Few-shot transfer: Fashion-MNIST classes 5-9 from a model pretrained on classes 0-4\n\n");
		if (e == null || !e.isJsonObject()) {
			md.append("Not run or failed: ").append(e).append("\n\n");
			return;
		}
		JsonObject a = e.getAsJsonObject();
		JsonObject p = a.getAsJsonObject("pretrain");
		md.append(String.format(Locale.ROOT, "`FewShotTransfer`: preset small trained from scratch on 2 000 training "
			+ "images of each of classes 0-4 (%d steps of 128, %.0f s); then k training images of each of classes 5-9 "
			+ "(3 random draws of a 2 000-image pool); accuracy on the 5 000 test images of classes 5-9, mean of the "
			+ "draws (lowest-highest); time per draw, the evaluation of the 5 000 images included. Zero-shot (class "
			+ "names only): **%.1f %%** on classes 5-9 (%.1f s), %.1f %% on classes 0-4. Fine-tuning: the defaults "
			+ "(lr %s, automatic length, WiSE-FT %s, no validation), batch min(64, 5k).%n%n", p.get("steps").getAsInt(),
			p.get("seconds").getAsDouble(), 100 * p.get("zero_shot_new").getAsDouble(), p.get("zero_shot_seconds")
				.getAsDouble(), 100 * p.get("zero_shot_old").getAsDouble(), a.get("fine_tune_learning_rate").getAsString(),
			a.has("fine_tune_wise_ft") ? a.get("fine_tune_wise_ft").getAsString() : "1 (off)"));
		JsonArray rows = a.getAsJsonArray("rows");
		TreeSet<Integer> ks = new TreeSet<>();
		for (JsonElement r : rows) ks.add(r.getAsJsonObject().get("k").getAsInt());
		md.append("| method |");
		for (int k : ks) md.append(" k = ").append(k).append(" |");
		md.append("\n|---|");
		for (int i = 0; i < ks.size(); i++) md.append("---|");
		md.append("\n");
		for (Map.Entry<String, String> m : METHODS.entrySet()) {
			md.append("| ").append(m.getValue()).append(" |");
			for (int k : ks) {
				double[] acc = stats(rows, k, m.getKey()), time = stats(rows, k, m.getKey() + "_seconds");
				md.append(String.format(Locale.ROOT, " %.1f %% (%.1f-%.1f), %.1f s |", 100 * acc[0], 100 * acc[1],
					100 * acc[2], time[0]));
			}
			md.append("\n");
		}
		md.append("| forgetting: classes 0-4 after `train --from` (after `--lock-image`) |");
		for (int k : ks) {
			md.append(String.format(Locale.ROOT, " %.1f %% (%.1f %%) |", 100 * stats(rows, k, "fine_tune_old")[0],
				100 * stats(rows, k, "fine_tune_locked_old")[0]));
		}
		md.append("\n\n");
		if (ks.contains(16)) {
			targets(md, rows, p);
			ceiling(md, a.getAsJsonObject("ceiling"), rows);
		}
		wise(md, a.getAsJsonArray("wise_ft"), p);
		JsonArray tune = a.getAsJsonArray("tuning_k16");
		if (tune != null && tune.size() > 0) {
			md.append("Choosing the fine-tuning defaults at k = 16 (mean of the same 3 draws, without WiSE-FT; steps 0 is the automatic length, 10 epochs but at least 30 steps; lr 0.001 with 600 steps is the from-scratch recipe):\n\n"
				+ "| lr | steps | image tower | classes 5-9 | classes 0-4 (start: " + String.format(Locale.ROOT, "%.1f %%",
					100 * p.get("zero_shot_old").getAsDouble()) + ") |\n|---|---|---|---|---|\n");
			Map<String, double[]> sums = new LinkedHashMap<>();
			for (JsonElement r : tune) {
				JsonObject o = r.getAsJsonObject();
				String key = String.format(Locale.ROOT, "| %s | %d | %s |", o.get("lr").getAsString(), o.get("steps").getAsInt(),
					o.get("lock_image").getAsBoolean() ? "locked" : "trained");
				double[] sum = sums.computeIfAbsent(key, x -> new double[3]);
				sum[0] += o.get("fine_tune").getAsDouble();
				sum[1] += o.get("fine_tune_old").getAsDouble();
				sum[2]++;
			}
			sums.forEach((key, sum) -> md.append(String.format(Locale.ROOT, "%s %.1f %% | %.1f %% |%n", key,
				100 * sum[0] / sum[2], 100 * sum[1] / sum[2])));
			md.append("\n");
		}
	}

	/** WiSE-FT: per weight of the fine-tuned weights, the new classes and the old ones (and the worst draw) at each k. */
	private static void wise(StringBuilder md, JsonArray rows, JsonObject p) {
		if (rows == null || rows.size() == 0) return;
		TreeSet<Double> alphas = new TreeSet<>(java.util.Comparator.reverseOrder());
		TreeSet<Integer> ks = new TreeSet<>();
		for (JsonElement r : rows) {
			alphas.add(r.getAsJsonObject().get("alpha").getAsDouble());
			ks.add(r.getAsJsonObject().get("k").getAsInt());
		}
		double start = p.get("zero_shot_old").getAsDouble();
		md.append("WiSE-FT (`train --from --wise-ft ALPHA`: the model saved is ALPHA of the fine-tuned weights, the rest "
			+ "the pretrained model's), default fine-tuning otherwise, mean of the 3 draws: classes 5-9 / classes 0-4 "
			+ String.format(Locale.ROOT, "(start %.1f %%)", 100 * start) + " / the worst draw's drop on classes 0-4:\n\n| ALPHA |");
		for (int k : ks) md.append(" k = ").append(k).append(" |");
		md.append("\n|---|");
		for (int i = 0; i < ks.size(); i++) md.append("---|");
		md.append("\n");
		for (double alpha : alphas) {
			md.append(String.format(Locale.ROOT, "| %.2f |", alpha));
			for (int k : ks) {
				double sumNew = 0, sumOld = 0, worst = 0;
				int n = 0;
				for (JsonElement r : rows) {
					JsonObject o = r.getAsJsonObject();
					if (o.get("alpha").getAsDouble() != alpha || o.get("k").getAsInt() != k) continue;
					sumNew += o.get("fine_tune").getAsDouble();
					sumOld += o.get("fine_tune_old").getAsDouble();
					worst = Math.max(worst, start - o.get("fine_tune_old").getAsDouble());
					n++;
				}
				md.append(String.format(Locale.ROOT, " %.1f %% / %.1f %% / %.1f |", 100 * sumNew / n, 100 * sumOld / n, 100 * worst));
			}
			md.append("\n");
		}
		md.append("\n");
	}

	private static void targets(StringBuilder md, JsonArray rows, JsonObject p) {
		String best = null;
		double bestAcc = -1;
		for (String m : METHODS.keySet()) {
			if (m.equals("scratch")) continue;
			double acc = stats(rows, 16, m)[0];
			if (acc > bestAcc) {
				bestAcc = acc;
				best = m;
			}
		}
		double zeroShot = p.get("zero_shot_new").getAsDouble(), scratch = stats(rows, 16, "scratch")[0];
		double old = p.get("zero_shot_old").getAsDouble();
		double worstForgetting = 0;
		for (JsonElement r : rows) {
			JsonObject o = r.getAsJsonObject();
			for (String key : new String[] { "fine_tune_old", "fine_tune_locked_old" }) {
				worstForgetting = Math.max(worstForgetting, old - o.get(key).getAsDouble());
			}
		}
		md.append("| target (k = 16) | measured | met |\n|---|---|---|\n");
		md.append(String.format(Locale.ROOT, "| best method beats zero-shot by >= 15 points | %s: %+.1f points | %s |%n",
			METHODS.get(best), 100 * (bestAcc - zeroShot), bestAcc - zeroShot >= 0.15 ? "yes" : "no"));
		md.append(String.format(Locale.ROOT, "| best method beats from-scratch by >= 10 points | %+.1f points | %s |%n",
			100 * (bestAcc - scratch), bestAcc - scratch >= 0.10 ? "yes" : "no"));
		md.append(String.format(Locale.ROOT, "| fine-tuning never more than 5 points below the start on classes 0-4 (any k, "
			+ "draw, lock) | worst %.1f points below | %s |%n%n", 100 * worstForgetting, worstForgetting <= 0.05 ? "yes"
				: "no"));
	}

	/**
	 * {@link FewShotCeiling}'s yardsticks: what else 16 images per class give, and what the whole pool gives, beside the
	 * from-scratch target; says which of them, if any, reaches it.
	 */
	private static void ceiling(StringBuilder md, JsonObject c, JsonArray rows) {
		if (c == null) return;
		double scratch = stats(rows, 16, "scratch")[0], target = scratch + 0.10;
		md.append(String.format(Locale.ROOT, "How far can k = 16 go? The from-scratch target asks for %.1f %% (`train` from "
			+ "scratch on the 16 images per class: %.1f %%). Yardsticks on the same data and the same 3 draws: `FewShotCeiling` "
			+ "(this code, self-training included: `SelfTraining`) and, in PyTorch, `bench/reference/few_shot_ceiling.py` (logistic regression on the pixels; a "
			+ "5-convolution CNN with batch norm trained with 2-px shifts and flips, which is a stronger learner of 28 x 28 "
			+ "images than `small`).%n%n| method | training images of classes 5-9 | classes 5-9 | time |%n|---|---|---|---|%n",
			100 * target, 100 * scratch));
		Map<String, Double> atK = new LinkedHashMap<>();
		String bestClip = METHODS.keySet().stream().filter(m -> !m.equals("scratch"))
			.max(java.util.Comparator.comparingDouble(m -> stats(rows, 16, m)[0])).orElseThrow();
		for (String m : List.of(bestClip, "scratch")) {
			double[] acc = stats(rows, 16, m);
			atK.put(METHODS.get(m), acc[0]);
			row(md, METHODS.get(m) + (m.equals(bestClip) ? " (the best of the methods above)" : ""), "16 per class", acc,
				stats(rows, 16, m + "_seconds")[0]);
		}
		JsonObject ref = c.getAsJsonObject("reference");
		Map<String, String> pythonK = new LinkedHashMap<>();
		pythonK.put("pixels_logistic", "logistic regression on the pixels (PyTorch)");
		pythonK.put("cnn_scratch", "CNN from scratch (PyTorch)");
		pythonK.put("cnn_pretrained_probe", "CNN pretrained with class labels on classes 0-4, linear probe (PyTorch)");
		pythonK.put("cnn_pretrained_fine_tune", "CNN pretrained with class labels on classes 0-4, fine-tuned (PyTorch)");
		if (ref != null) {
			JsonObject k = ref.getAsJsonObject("k_shot");
			for (Map.Entry<String, String> m : pythonK.entrySet()) {
				if (!k.has(m.getKey())) continue;
				JsonObject s = k.getAsJsonObject(m.getKey());
				double[] acc = { s.get("mean").getAsDouble(), s.get("min").getAsDouble(), s.get("max").getAsDouble() };
				atK.put(m.getValue(), acc[0]);
				row(md, m.getValue(), "16 per class", acc, k.getAsJsonObject(m.getKey() + "_seconds").get("mean").getAsDouble());
			}
		}
		selfTraining(md, c.getAsJsonArray("self_training"), atK);
		String pool = "all 2 000 per class";
		row(md, "linear probe on the pretrained model's embeddings", pool, one(c, "probe_pool"),
			c.get("probe_pool_seconds").getAsDouble());
		row(md, "`small` from scratch, the pretraining's recipe", pool, one(c, "scratch_pool"),
			c.get("scratch_pool_train_seconds").getAsDouble() + c.get("scratch_pool_eval_seconds").getAsDouble());
		if (ref != null) {
			JsonObject all = ref.getAsJsonObject("pool_all");
			row(md, pythonK.get("pixels_logistic"), pool, one(all, "pixels_logistic"), all.get("pixels_logistic_seconds").getAsDouble());
			row(md, pythonK.get("cnn_scratch"), pool, one(all, "cnn_scratch"), all.get("cnn_scratch_seconds").getAsDouble());
			md.append(String.format(Locale.ROOT, "%nThe CNN pretrained with class labels on the 2 000 training images of each "
				+ "of classes 0-4 (%.0f s, not in the times above) reaches %.1f %% on their test images (PyTorch %s, %d "
				+ "threads).%n", ref.get("pretrained_seconds").getAsDouble(), 100 * ref.get("pretrained_old_accuracy")
					.getAsDouble(), ref.get("torch").getAsString(), ref.get("threads").getAsInt()));
		}
		Map.Entry<String, Double> best = atK.entrySet().stream().filter(m -> !m.getKey().equals(METHODS.get("scratch")))
			.max(Map.Entry.comparingByValue()).orElseThrow();
		double scratchPool = c.get("scratch_pool").getAsDouble();
		md.append(String.format(Locale.ROOT, "%nAt k = 16 the best method measured (%s) reaches %.1f %%: %s. The target is "
			+ "%s what `small` from scratch reaches with all 2 000 images per class (%.1f %%).", best.getKey(),
			100 * best.getValue(), best.getValue() >= target ? "the target is reachable" : String.format(Locale.ROOT,
				"%.1f points short of the target", 100 * (target - best.getValue())), Math.abs(target - scratchPool) <= 0.005
					? "about" : target > scratchPool ? "above" : "below", 100 * scratchPool));
		double probePool = c.get("probe_pool").getAsDouble();
		if (probePool < target) {
			md.append(String.format(Locale.ROOT, " With all 2 000 images per class the probe of the pretrained embeddings "
				+ "reaches only %.1f %%, so no probe or cache of those embeddings reaches it with 16.", 100 * probePool));
		}
		JsonArray self = c.getAsJsonArray("self_training");
		if (self != null) {
			double start = 0, end = 0;
			for (JsonElement d : self) {
				JsonArray rounds = d.getAsJsonObject().getAsJsonArray("rounds");
				start += d.getAsJsonObject().get("start").getAsDouble() / self.size();
				end += rounds.get(rounds.size() - 1).getAsJsonObject().get("accuracy").getAsDouble() / self.size();
			}
			md.append(String.format(Locale.ROOT, " Nor do the pool's unlabelled images help by self-training: from %.1f "
				+ "%% to %.1f %% (%+.1f points): trained on the labels it is surest of, a model learns little it did not "
				+ "know.", 100 * start, 100 * end, 100 * (end - start)));
		}
		md.append("\n\n");
	}

	/** {@link SelfTraining}'s rounds, mean of the draws; the time is the round's (labelling and training). */
	private static void selfTraining(StringBuilder md, JsonArray draws, Map<String, Double> atK) {
		if (draws == null) return;
		JsonArray first = draws.get(0).getAsJsonObject().getAsJsonArray("rounds");
		for (int r = 0; r < first.size(); r++) {
			double[] acc = { 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
			double right = 0, seconds = 0, unlabelled = 0;
			for (JsonElement d : draws) {
				JsonObject round = d.getAsJsonObject().getAsJsonArray("rounds").get(r).getAsJsonObject();
				double a = round.get("accuracy").getAsDouble();
				acc[0] += a / draws.size();
				acc[1] = Math.min(acc[1], a);
				acc[2] = Math.max(acc[2], a);
				right += round.get("right").getAsDouble() / round.get("kept").getAsDouble() / draws.size();
				seconds += round.get("seconds").getAsDouble() / draws.size();
				unlabelled = round.get("unlabelled").getAsDouble();
			}
			String method = String.format(Locale.ROOT, "self-training, round %d: `small` from scratch on the 16 and the "
				+ "%.0f %% of %s own labels it is surest of (%.1f %% of them right)", r + 1, 100 * first.get(r)
					.getAsJsonObject().get("fraction").getAsDouble(), r == 0 ? "the from-scratch model's" : "round " + r + "'s",
				100 * right);
			atK.put(method, acc[0]);
			String others = String.format(Locale.ROOT, "%,d", (int) unlabelled).replace(',', ' ');
			row(md, method, "16 per class + the pool's other " + others + ", unlabelled", acc, seconds);
		}
	}

	private static void row(StringBuilder md, String method, String data, double[] acc, double seconds) {
		md.append(String.format(Locale.ROOT, "| %s | %s | %.1f %%%s | %.1f s |%n", method, data, 100 * acc[0],
			acc.length > 1 ? String.format(Locale.ROOT, " (%.1f-%.1f)", 100 * acc[1], 100 * acc[2]) : "", seconds));
	}

	private static double[] one(JsonObject o, String key) {
		return new double[] { o.get(key).getAsDouble() };
	}

	/** Mean, lowest and highest of {@code key} over the rows of {@code k}. */
	private static double[] stats(JsonArray rows, int k, String key) {
		double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		int n = 0;
		for (JsonElement r : rows) {
			JsonObject o = r.getAsJsonObject();
			if (o.get("k").getAsInt() != k || !o.has(key)) continue;
			double v = o.get(key).getAsDouble();
			sum += v;
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
			n++;
		}
		return new double[] { n == 0 ? Double.NaN : sum / n, lo, hi };
	}
}
