package sc.fiji.clip.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The markdown of the {@link FewShotTransfer} section: accuracy and time per method and k, forgetting, targets. */
final class FewShotTable {

	/** Method keys in the JSON rows and their names in the table. */
	static final Map<String, String> METHODS = new LinkedHashMap<>();
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
			FewShotCeilingTable.markdown(md, a.getAsJsonObject("ceiling"), rows);
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

	/** Mean, lowest and highest of {@code key} over the rows of {@code k}. */
	static double[] stats(JsonArray rows, int k, String key) {
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
