package sc.fiji.clip.color;

import java.util.Random;

/**
 * Deterministic starting points. Without a search, the first colour is the requested start and the others are drawn
 * from the seed, uniformly in [0.1, 0.9]³ and at least {@value #MIN_DISTANCE} apart from earlier ones where possible.
 * With a search, the most similar colours of a grid, at least {@value #MIN_DISTANCE} apart where possible.
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

	/** The search grid: {@code levels³} colours with channels at {@code (i + 0.5) / levels}, red slowest. */
	static Rgb[] grid(int levels) {
		Rgb[] grid = new Rgb[levels * levels * levels];
		int n = 0;
		for (int r = 0; r < levels; r++) {
			for (int g = 0; g < levels; g++) {
				for (int b = 0; b < levels; b++) {
					grid[n++] = new Rgb((r + 0.5) / levels, (g + 0.5) / levels, (b + 0.5) / levels);
				}
			}
		}
		return grid;
	}

	/**
	 * The {@code count} colours of {@code grid} with the highest {@code similarities}, best first, each at least
	 * {@value #MIN_DISTANCE} from those chosen before it; when too few are that far apart, the best of the rest.
	 */
	static Rgb[] best(Rgb[] grid, float[] similarities, int count) {
		Integer[] order = new Integer[grid.length];
		for (int i = 0; i < order.length; i++) order[i] = i;
		java.util.Arrays.sort(order, (a, b) -> Float.compare(similarities[b], similarities[a]));
		Rgb[] chosen = new Rgb[count];
		boolean[] taken = new boolean[grid.length];
		int n = 0;
		for (int pass = 0; pass < 2 && n < count; pass++) {
			for (int i = 0; i < order.length && n < count; i++) {
				int g = order[i];
				if (taken[g] || (pass == 0 && nearest(chosen, n, grid[g]) < MIN_DISTANCE)) continue;
				taken[g] = true;
				chosen[n++] = grid[g];
			}
		}
		for (; n < count; n++) chosen[n] = chosen[n % Math.max(1, grid.length)]; // a palette larger than the grid
		return chosen;
	}

	/** Logits [K, 3, size, size] of the start colours, each image uniform, kept finite by a small margin. */
	static float[] logits(ColorOptions options) {
		return logits(of(options), options.size());
	}

	/** Logits [K, 3, size, size] of {@code colors}, each image uniform, kept finite by a small margin. */
	static float[] logits(Rgb[] colors, int size) {
		int plane = size * size;
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
