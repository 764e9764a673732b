package sc.fiji.clip.fewshot;

/**
 * Chooses a {@link CacheClassifier}'s {@link CacheWeights} by leave-one-out on the examples themselves: each
 * example in turn is labelled by the text and the other examples, over a grid of {@code alpha} and {@code beta};
 * the most accurate pair wins, ties going to the lower mean cross-entropy. No labelled data beyond the examples is
 * needed, and with {@code alpha = 0} in the grid the choice falls back to zero-shot when the examples do not help.
 * <p>
 * Only examples whose class has another example are held out (otherwise their own class would have no cache); with
 * one example per class nothing can be held out: the examples alone decide when the text labels them no better
 * than chance, else the {@linkplain CacheWeights#DEFAULT_ALPHA defaults} are used.
 * At most {@value #MAX_HELD_OUT} examples are held out, evenly spread, so large example sets stay quick. Plain Java
 * on the embeddings: nothing here needs the engine.
 */
public final class CacheWeightSearch {

	/** The weights of the examples tried; the last drops the text. */
	static final float[] ALPHAS = { 0, 0.1f, 0.25f, 0.5f, 1, 2, 4, 8, Float.POSITIVE_INFINITY };
	/** The sharpnesses tried: small models embed all images close together (cosines near 1), so the grid reaches far. */
	static final float[] BETAS = { 1, 2, 5.5f, 10, 20, 50, 100, 200, 500 };
	/** Most examples held out. */
	public static final int MAX_HELD_OUT = 2000;

	private CacheWeightSearch() {}

	/**
	 * The best weights for {@code examples}, with {@code text[c]} the normalised text embedding of class {@code c}
	 * and {@code scale} the model's logit scale.
	 */
	public static CacheWeights choose(ExampleSet examples, float[][] text, float scale) {
		int n = examples.size(), classes = examples.classes().size();
		int[] counts = examples.counts();
		int eligible = 0;
		for (int i = 0; i < n; i++) if (counts[examples.classOf(i)] >= 2) eligible++;
		if (eligible == 0) return onePerClass(examples, text);
		int stride = (eligible + MAX_HELD_OUT - 1) / MAX_HELD_OUT;
		int[] held = new int[(eligible + stride - 1) / stride];
		for (int i = 0, e = 0, h = 0; i < n; i++) {
			if (counts[examples.classOf(i)] < 2) continue;
			if (e++ % stride == 0) held[h++] = i;
		}
		int grid = ALPHAS.length * BETAS.length;
		int[] correct = new int[grid];
		double[] loss = new double[grid];
		double[] zeroShot = new double[classes];
		double[][] cache = new double[BETAS.length][classes];
		double[] logits = new double[classes];
		for (int i : held) {
			float[] f = examples.embedding(i);
			int truth = examples.classOf(i);
			for (int c = 0; c < classes; c++) zeroShot[c] = dot(f, text[c]);
			for (double[] row : cache) java.util.Arrays.fill(row, 0);
			for (int j = 0; j < n; j++) {
				if (j == i) continue;
				double distance = 1 - dot(f, examples.embedding(j));
				int c = examples.classOf(j);
				for (int b = 0; b < BETAS.length; b++) cache[b][c] += Math.exp(-BETAS[b] * distance);
			}
			for (int b = 0; b < BETAS.length; b++) {
				for (int c = 0; c < classes; c++) cache[b][c] /= counts[c] - (c == truth ? 1 : 0);
				for (int a = 0; a < ALPHAS.length; a++) {
					for (int c = 0; c < classes; c++) logits[c] = CacheClassifier.logit(zeroShot[c], cache[b][c], ALPHAS[a], scale);
					int g = a * BETAS.length + b;
					if (argmax(logits) == truth) correct[g]++;
					loss[g] += crossEntropy(logits, truth);
				}
			}
		}
		int best = 0;
		for (int g = 1; g < grid; g++) {
			if (correct[g] > correct[best] || correct[g] == correct[best] && loss[g] < loss[best]) best = g;
		}
		int zeroShotBest = 0; // alpha 0: every beta gives the same
		return new CacheWeights(ALPHAS[best / BETAS.length], BETAS[best % BETAS.length],
			correct[best] / (double) held.length, correct[zeroShotBest] / (double) held.length, held.length);
	}

	/**
	 * With one example per class the cache cannot be held out, but the text can still be measured on the examples:
	 * when it labels them no better than chance (class names the model never learnt) the examples alone decide,
	 * else text and examples get the default weights.
	 */
	private static CacheWeights onePerClass(ExampleSet examples, float[][] text) {
		int correct = 0;
		double[] s = new double[text.length];
		for (int i = 0; i < examples.size(); i++) {
			for (int c = 0; c < text.length; c++) s[c] = dot(examples.embedding(i), text[c]);
			if (argmax(s) == examples.classOf(i)) correct++;
		}
		double zeroShot = correct / (double) examples.size();
		float alpha = zeroShot > 1.0 / text.length ? CacheWeights.DEFAULT_ALPHA : Float.POSITIVE_INFINITY;
		return new CacheWeights(alpha, CacheWeights.DEFAULT_BETA, Double.NaN, zeroShot, 0);
	}

	static double dot(float[] a, float[] b) {
		double s = 0;
		for (int k = 0; k < a.length; k++) s += a[k] * b[k];
		return s;
	}

	/** Index of the largest value, ties to the lower index (as the labeller's ranking). */
	static int argmax(double[] v) {
		int best = 0;
		for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
		return best;
	}

	private static double crossEntropy(double[] logits, int truth) {
		double max = logits[argmax(logits)], sum = 0;
		for (double l : logits) sum += Math.exp(l - max);
		return Math.log(sum) - (logits[truth] - max);
	}
}
