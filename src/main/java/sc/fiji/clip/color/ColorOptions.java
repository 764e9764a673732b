package sc.fiji.clip.color;

import sc.fiji.clip.ClipException;

/**
 * Settings of a colour optimisation; immutable, made with {@link #builder()}.
 * <p>
 * The colour is parametrised by a logit per channel ({@code colour = sigmoid(logit)}), so the learning rate and
 * weight decay act on logits. Adam's steps are about the learning rate in size whatever the gradient's scale, so the
 * default rate 0.1 can move a logit by up to about 10 in the default 100 steps: from mid-grey (logit 0) to a
 * saturated channel (logit ±5 is 0.007 or 0.993) with room to spare while the direction settles, yet the first step
 * changes a channel by at most 0.025 (about 6/255), so the progression stays smooth. (On a small model trained on
 * named colours, 0.05 often stopped on the plateau before the colour had saturated; 0.2 sometimes
 * overshot to a worse colour.)
 * Weight decay pulls logits towards 0, i.e. towards mid-grey.
 * <p>
 * Before the first step a coarse search ({@link #search()}) encodes a grid of colours and starts each prompt from the
 * grid colours most similar to it: gradient steps from one fixed start stop on the nearest plateau, which for a model
 * that rarely saw one-colour images is often a grey (see {@code bench/results.md}).
 */
public final class ColorOptions {

	/** Number of optimisation steps (updates). */
	public static final int DEFAULT_STEPS = 100;
	public static final float DEFAULT_LEARNING_RATE = 0.1f;
	/** Steps without improvement before stopping early. */
	public static final int DEFAULT_PATIENCE = 20;
	/** Smallest rise of the similarity that counts as an improvement. */
	public static final double DEFAULT_MIN_DELTA = 1e-4;
	public static final float DEFAULT_SEPARATION = 0.1f;
	/** Length scale of the palette's repulsion, in [0, 1] RGB units. */
	public static final float DEFAULT_SEPARATION_SIGMA = 0.15f;
	public static final float DEFAULT_SMOOTHNESS = 1f;
	/**
	 * Levels per channel of the start search: a grid of 3³ = 27 colours. On the demo's models (3 seeds) 3 and 5 levels
	 * found every colour word's hue and the same similarities, 0 levels 12 of 15; with a ViT-B/32 on 2 cores, 100 steps
	 * took 40.3 s without a search, 48.9 s with 5 levels and 36.9 s with 3 (within the runs' noise).
	 */
	public static final int DEFAULT_SEARCH = 3;
	/** Start colours are kept this far inside (0, 1), where the logit is finite. */
	static final double START_MARGIN = 1e-3;

	private final int steps, colors, size, patience, search;
	private final float learningRate, weightDecay, separation, separationSigma, smoothness;
	private final double minDelta;
	private final Rgb start;
	private final long seed;

	private ColorOptions(Builder b) {
		steps = b.steps;
		colors = b.colors;
		size = b.size;
		patience = b.patience;
		search = b.search;
		learningRate = b.learningRate;
		weightDecay = b.weightDecay;
		separation = b.separation;
		separationSigma = b.separationSigma;
		smoothness = b.smoothness;
		minDelta = b.minDelta;
		start = b.start;
		seed = b.seed;
	}

	public static Builder builder() {
		return new Builder();
	}

	/** The defaults: one colour, 100 steps from the best of a 3³ grid of colours. */
	public static ColorOptions defaults() {
		return builder().build();
	}

	public Builder toBuilder() {
		Builder b = new Builder();
		b.steps = steps;
		b.colors = colors;
		b.size = size;
		b.patience = patience;
		b.search = search;
		b.learningRate = learningRate;
		b.weightDecay = weightDecay;
		b.separation = separation;
		b.separationSigma = separationSigma;
		b.smoothness = smoothness;
		b.minDelta = minDelta;
		b.start = start;
		b.seed = seed;
		return b;
	}

	public int steps() {
		return steps;
	}

	/** AdamW learning rate on the logits. */
	public float learningRate() {
		return learningRate;
	}

	/** AdamW (decoupled) weight decay on the logits; pulls towards mid-grey. */
	public float weightDecay() {
		return weightDecay;
	}

	/**
	 * Colour the optimisation starts from when there is no {@linkplain #search() search} (the first palette colour;
	 * the others start at seeded colours).
	 */
	public Rgb start() {
		return start;
	}

	/**
	 * Levels per channel of the start search, or 0 for none: the {@code search³} colours with channels at {@code
	 * (i + 0.5) / search} are encoded once, and each prompt starts from the most similar of them (a palette from the
	 * most similar that lie {@value StartColors#MIN_DISTANCE} apart where it can). An N×N image starts uniform.
	 */
	public int search() {
		return search;
	}

	/** Seed of the palette's other starting colours. */
	public long seed() {
		return seed;
	}

	/** Steps without an improvement of more than {@link #minDelta()} before stopping; 0 never stops early. */
	public int patience() {
		return patience;
	}

	public double minDelta() {
		return minDelta;
	}

	/** Number of palette colours optimised together. */
	public int colors() {
		return colors;
	}

	/** Side of the optimised image: 1 for a solid colour, N for an N×N image. */
	public int size() {
		return size;
	}

	/** Weight of the palette's repulsion penalty (mean pairwise {@code exp(-d²/σ²)}). */
	public float separation() {
		return separation;
	}

	/** σ of the repulsion penalty in RGB units. */
	public float separationSigma() {
		return separationSigma;
	}

	/** Weight of the total-variation penalty of an N×N image (mean squared difference of neighbours). */
	public float smoothness() {
		return smoothness;
	}

	@Override
	public String toString() {
		return "steps=" + steps + ", lr=" + learningRate + ", weightDecay=" + weightDecay + ", search=" + search + ", start=" + start.hex()
			+ ", seed=" + seed + ", patience=" + patience + ", minDelta=" + minDelta + ", colors=" + colors + ", size="
			+ size + ", separation=" + separation + "/" + separationSigma + ", smoothness=" + smoothness;
	}

	/** Builds {@link ColorOptions}; {@link #build()} checks the values and names the bad one. */
	public static final class Builder {

		private int steps = DEFAULT_STEPS, colors = 1, size = 1, patience = DEFAULT_PATIENCE, search = DEFAULT_SEARCH;
		private float learningRate = DEFAULT_LEARNING_RATE, weightDecay, separation = DEFAULT_SEPARATION;
		private float separationSigma = DEFAULT_SEPARATION_SIGMA, smoothness = DEFAULT_SMOOTHNESS;
		private double minDelta = DEFAULT_MIN_DELTA;
		private Rgb start = Rgb.GREY;
		private long seed;

		private Builder() {}

		public Builder steps(int value) {
			steps = value;
			return this;
		}

		public Builder learningRate(float value) {
			learningRate = value;
			return this;
		}

		public Builder weightDecay(float value) {
			weightDecay = value;
			return this;
		}

		/** Start from this colour, with no search ({@code search(0)}). */
		public Builder start(Rgb value) {
			start = value;
			search = 0;
			return this;
		}

		/** Levels per channel of the start search (0: start from {@link #start(Rgb)}). */
		public Builder search(int levels) {
			search = levels;
			return this;
		}

		public Builder seed(long value) {
			seed = value;
			return this;
		}

		/** Early stopping: {@code patience} steps (0 = off) without a rise above {@code minDelta}. */
		public Builder earlyStop(int patience, double minDelta) {
			this.patience = patience;
			this.minDelta = minDelta;
			return this;
		}

		public Builder colors(int value) {
			colors = value;
			return this;
		}

		public Builder size(int value) {
			size = value;
			return this;
		}

		/** Palette repulsion: {@code weight · mean exp(-d²/σ²)} over pairs of colours. */
		public Builder separation(float weight, float sigma) {
			separation = weight;
			separationSigma = sigma;
			return this;
		}

		public Builder smoothness(float value) {
			smoothness = value;
			return this;
		}

		public ColorOptions build() {
			require(steps >= 0, "The number of steps must be 0 or more, got " + steps + ".");
			require(learningRate > 0 && Float.isFinite(learningRate), "The learning rate must be a positive number, got "
				+ learningRate + ".");
			require(weightDecay >= 0 && Float.isFinite(weightDecay), "The weight decay must be 0 or more, got " + weightDecay + ".");
			require(start != null, "A start colour is needed.");
			require(patience >= 0, "The patience must be 0 (no early stop) or more steps, got " + patience + ".");
			require(minDelta >= 0 && Double.isFinite(minDelta), "The early-stop epsilon must be 0 or more, got " + minDelta + ".");
			require(search >= 0 && search <= 16, "The start search takes 0 (none) to 16 levels per channel, got " + search + ".");
			require(colors >= 1 && colors <= 64, "The number of palette colours must be 1 to 64, got " + colors + ".");
			require(size >= 1, "The image size must be 1 (a solid colour) or more pixels, got " + size + ".");
			require(separation >= 0 && Float.isFinite(separation), "The separation weight must be 0 or more, got " + separation + ".");
			require(separationSigma > 0 && Float.isFinite(separationSigma), "The separation sigma must be positive, got "
				+ separationSigma + ".");
			require(smoothness >= 0 && Float.isFinite(smoothness), "The smoothness weight must be 0 or more, got " + smoothness + ".");
			return new ColorOptions(this);
		}

		private static void require(boolean ok, String message) {
			if (!ok) throw new ClipException(message);
		}
	}
}
