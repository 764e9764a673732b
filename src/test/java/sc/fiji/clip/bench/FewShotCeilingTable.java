package sc.fiji.clip.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The few-shot section's "How far can k = 16 go?" table: {@link FewShotCeiling}'s yardsticks beside the target. */
final class FewShotCeilingTable {

	private FewShotCeilingTable() {}

	/**
	 * {@link FewShotCeiling}'s yardsticks: what else 16 images per class give, and what the whole pool gives, beside the
	 * from-scratch target; says which of them, if any, reaches it.
	 */
	static void markdown(StringBuilder md, JsonObject c, JsonArray rows) {
		if (c == null) return;
		Map<String, String> methods = FewShotTable.METHODS;
		double scratch = FewShotTable.stats(rows, 16, "scratch")[0], target = scratch + 0.10;
		md.append(String.format(Locale.ROOT, "How far can k = 16 go? The from-scratch target asks for %.1f %% (`train` from "
			+ "scratch on the 16 images per class: %.1f %%). Yardsticks on the same data and the same 3 draws: "
			+ "`FewShotCeiling` (this code, self-training included: `SelfTraining`) and, in PyTorch, "
			+ "`bench/reference/few_shot_ceiling.py` (logistic regression on the pixels; a 5-convolution "
			+ "CNN with batch norm trained with 2-px shifts and flips, which is a stronger learner of 28 x 28 "
			+ "images than `small`).%n%n| method | training images of classes 5-9 | classes 5-9 | time |%n|---|---|---|---|%n",
			100 * target, 100 * scratch));
		Map<String, Double> atK = new LinkedHashMap<>();
		String bestClip = methods.keySet().stream().filter(m -> !m.equals("scratch"))
			.max(Comparator.comparingDouble(m -> FewShotTable.stats(rows, 16, m)[0])).orElseThrow();
		for (String m : List.of(bestClip, "scratch")) {
			double[] acc = FewShotTable.stats(rows, 16, m);
			atK.put(methods.get(m), acc[0]);
			row(md, methods.get(m) + (m.equals(bestClip) ? " (the best of the methods above)" : ""), "16 per class", acc,
				FewShotTable.stats(rows, 16, m + "_seconds")[0]);
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
		double[] selfTraining = selfTraining(md, c.getAsJsonArray("self_training"), atK);
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
		Map.Entry<String, Double> best = atK.entrySet().stream().filter(m -> !m.getKey().equals(methods.get("scratch")))
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
		if (selfTraining != null) {
			double start = selfTraining[0], end = selfTraining[1];
			md.append(String.format(Locale.ROOT, " Nor do the pool's unlabelled images help by self-training: from %.1f "
				+ "%% to %.1f %% (%+.1f points): trained on the labels it is surest of, a model learns little it did not "
				+ "know.", 100 * start, 100 * end, 100 * (end - start)));
		}
		md.append("\n\n");
	}

	/**
	 * {@link SelfTraining}'s rounds, mean of the draws (the time is the round's: labelling and training); returns the
	 * mean accuracy before the first round and after the last, or null without self-training.
	 */
	private static double[] selfTraining(StringBuilder md, JsonArray draws, Map<String, Double> atK) {
		if (draws == null) return null;
		double start = 0, end = 0;
		for (JsonElement d : draws) start += d.getAsJsonObject().get("start").getAsDouble() / draws.size();
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
			end = acc[0];
		}
		return new double[] { start, end };
	}

	private static void row(StringBuilder md, String method, String data, double[] acc, double seconds) {
		md.append(String.format(Locale.ROOT, "| %s | %s | %.1f %%%s | %.1f s |%n", method, data, 100 * acc[0],
			acc.length > 1 ? String.format(Locale.ROOT, " (%.1f-%.1f)", 100 * acc[1], 100 * acc[2]) : "", seconds));
	}

	private static double[] one(JsonObject o, String key) {
		return new double[] { o.get(key).getAsDouble() };
	}
}
