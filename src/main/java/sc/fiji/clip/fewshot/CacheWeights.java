package sc.fiji.clip.fewshot;

import java.util.Locale;

/**
 * How a {@link CacheClassifier} mixes text and examples, and how well that did when chosen by leave-one-out.
 * <p>
 * The logits of an image embedding {@code f} for class {@code c} are
 * {@code scale * (cos(f, text_c) + alpha * cache_c(f))}, where {@code cache_c(f)} is the mean over the examples
 * {@code e} of class {@code c} of {@code exp(-beta * (1 - cos(f, e)))} (Tip-Adapter's cache model, averaged rather than
 * summed so that {@code alpha} means the same for any number of examples). {@code alpha = 0} is zero-shot labelling;
 * {@code alpha = +infinity} drops the text and labels by the examples alone, for classes whose names the model does
 * not know. {@code beta} sets how sharply an example's vote falls off with distance.
 */
public final class CacheWeights {

	/** Tip-Adapter's published sharpness, used when leave-one-out cannot choose (one example per class). */
	public static final float DEFAULT_BETA = 5.5f;
	/** Equal weight of text and examples, used when leave-one-out cannot choose. */
	public static final float DEFAULT_ALPHA = 1f;

	private final float alpha, beta;
	private final double accuracy, zeroShotAccuracy;
	private final int held;

	CacheWeights(float alpha, float beta, double accuracy, double zeroShotAccuracy, int held) {
		this.alpha = alpha;
		this.beta = beta;
		this.accuracy = accuracy;
		this.zeroShotAccuracy = zeroShotAccuracy;
		this.held = held;
	}

	/** Weights given directly (e.g. read from a model file), with no leave-one-out figures. */
	public static CacheWeights of(float alpha, float beta) {
		if (!(alpha >= 0)) throw new IllegalArgumentException("alpha must be >= 0 (or +infinity), was " + alpha);
		if (!(beta > 0) || Float.isInfinite(beta)) throw new IllegalArgumentException("beta must be > 0, was " + beta);
		return new CacheWeights(alpha, beta, Double.NaN, Double.NaN, 0);
	}

	/** The weight of the examples against the text; {@code +infinity} for examples alone. */
	public float alpha() {
		return alpha;
	}

	/** The sharpness of the examples' affinities. */
	public float beta() {
		return beta;
	}

	/** Whether the text is left out. */
	public boolean examplesOnly() {
		return Float.isInfinite(alpha);
	}

	/** Leave-one-out accuracy of these weights on the examples; NaN when they were not chosen so. */
	public double accuracy() {
		return accuracy;
	}

	/**
	 * Accuracy of zero-shot labelling (alpha 0) on the examples held out (with one example per class: on all of
	 * them); NaN when not chosen by the examples.
	 */
	public double zeroShotAccuracy() {
		return zeroShotAccuracy;
	}

	/** Examples held out one at a time to choose these weights (0 when not chosen by leave-one-out). */
	public int heldOut() {
		return held;
	}

	/** E.g. {@code "alpha 2, beta 5.5 (leave-one-out accuracy 87.5 % over 40 examples; zero-shot 60.0 %)"}. */
	public String describe() {
		String a = examplesOnly() ? "infinite (examples only)" : trim(alpha);
		String s = "alpha " + a + ", beta " + trim(beta);
		if (held == 0) {
			return s + (Double.isNaN(zeroShotAccuracy) ? "" : String.format(Locale.ROOT, " (one example per class: "
				+ "nothing to hold out; zero-shot labels %.1f %% of the examples)", 100 * zeroShotAccuracy));
		}
		return s + String.format(Locale.ROOT, " (leave-one-out accuracy %.1f %% over %d examples; zero-shot %.1f %%)",
			100 * accuracy, held, 100 * zeroShotAccuracy);
	}

	private static String trim(float v) {
		return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
	}

	@Override
	public String toString() {
		return describe();
	}
}
