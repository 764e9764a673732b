package sc.fiji.clip.color;

import java.util.Random;

/**
 * Deterministic starting points: the first colour is the requested start, the others are drawn from the seed,
 * uniformly in [0.1, 0.9]³ and at least {@value #MIN_DISTANCE} apart from earlier ones where possible.
 */
final class StartColors {

	static final double MIN_DISTANCE = 0.25;

	private StartColors() {}

	static Rgb[] of(ColorOptions options) {
		Rgb[] colors = new Rgb[options.colors()];
		colors[0] = options.start();
		Random random = new Random(options.seed());
		for (int k = 1; k < colors.length; k++) {
			Rgb candidate = null;
			for (int attempt = 0; attempt < 100; attempt++) {
				candidate = new Rgb(0.1 + 0.8 * random.nextDouble(), 0.1 + 0.8 * random.nextDouble(),
					0.1 + 0.8 * random.nextDouble());
				if (nearest(colors, k, candidate) >= MIN_DISTANCE) break;
			}
			colors[k] = candidate;
		}
		return colors;
	}

	private static double nearest(Rgb[] colors, int n, Rgb c) {
		double d = Double.POSITIVE_INFINITY;
		for (int i = 0; i < n; i++) d = Math.min(d, colors[i].distance(c));
		return d;
	}

	/** Logits [K, 3, size, size] of the start colours, each image uniform, kept finite by a small margin. */
	static float[] logits(ColorOptions options) {
		Rgb[] colors = of(options);
		int plane = options.size() * options.size();
		float[] logits = new float[colors.length * 3 * plane];
		for (int k = 0; k < colors.length; k++) {
			for (int c = 0; c < 3; c++) {
				float l = logit(colors[k].channel(c));
				java.util.Arrays.fill(logits, (k * 3 + c) * plane, (k * 3 + c + 1) * plane, l);
			}
		}
		return logits;
	}

	static float logit(double p) {
		double q = Math.min(1 - ColorOptions.START_MARGIN, Math.max(ColorOptions.START_MARGIN, p));
		return (float) Math.log(q / (1 - q));
	}
}
