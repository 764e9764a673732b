package sc.fiji.clip.train;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipPreset;

/**
 * How to train: model size, schedule, optimiser, validation and augmentation. Built with {@link #builder()};
 * {@link #validate} names the first bad value. Saved in checkpoints so that a resumed training keeps its schedule.
 */
public final class TrainingOptions {

	private static final Gson GSON = new Gson();

	/** Epochs when neither epochs nor steps are given, unless that is fewer than {@link #MIN_AUTOMATIC_STEPS}. */
	public static final int AUTOMATIC_EPOCHS = 10;

	/**
	 * The fewest steps of an automatic length: 10 epochs of a folder of a few hundred images are a few dozen steps,
	 * far too few (bench/results.md, section defaults).
	 */
	public static final int MIN_AUTOMATIC_STEPS = 600;

	/**
	 * The fewest steps of a fine-tuning's automatic length: on a few examples per class every further step makes the
	 * model forget more of what it knew than it learns (bench/results.md, section few-shot transfer).
	 */
	public static final int MIN_AUTOMATIC_FINE_TUNE_STEPS = 30;

	/** The peak learning rate: at least as good as 5e-4 and 2e-3 on all three data sets of bench/results.md, section defaults. */
	public static final double DEFAULT_LEARNING_RATE = 1e-3;

	/**
	 * The peak learning rate of a fine-tuning ({@code --from}): a pretrained model's features are kept, not relearnt
	 * (bench/results.md, section few-shot transfer).
	 */
	public static final double FINE_TUNE_LEARNING_RATE = 1e-4;

	/**
	 * The WiSE-FT weight of a fine-tuning when {@code --wise-ft} is not given: the only weight that kept the old
	 * classes within 5 points at every k (bench/results.md, section few-shot transfer).
	 */
	public static final double DEFAULT_WISE_FT = 0.5;

	/** The preset trained when neither a preset nor a starting model is given. */
	public static final String DEFAULT_PRESET = "small";

	/** The smallest area of a random resized crop, as a fraction of the image (bench/results.md, section defaults). */
	public static final double DEFAULT_CROP_AREA = 0.8;

	String preset;
	String from;
	boolean lockImage, lockText;
	int unlockLast;
	int epochs = 0;
	int steps = 0;
	int batchSize = 64;
	double learningRate = 0;
	double weightDecay = 0.1;
	double warmupFraction = 0.1;
	long seed = 1;
	double valFraction = 0.1;
	List<String> valLabels = new ArrayList<>();
	String eval;
	boolean softTargets = true;
	boolean augment = true;
	double cropArea = DEFAULT_CROP_AREA;
	boolean horizontalFlip = false;
	boolean verticalFlip = false;
	double averageDecay = 0;
	double wiseFt = 0;
	int threads = 0;

	public static Builder builder() {
		return new Builder(new TrainingOptions());
	}

	public Builder toBuilder() {
		return new Builder(GSON.fromJson(GSON.toJson(this), TrainingOptions.class));
	}

	String toJson() {
		return GSON.toJson(this);
	}

	static TrainingOptions fromJson(String json) {
		return GSON.fromJson(json, TrainingOptions.class);
	}

	/** Checks every value, naming the option at fault. */
	public TrainingOptions validate() {
		if (preset != null) ClipPreset.parse(preset);
		if (from != null && preset != null) {
			throw new ClipException("--from " + from + " keeps that model's architecture, so --preset " + preset + " "
				+ "cannot apply. Leave out --preset to fine-tune the model, or leave out --from to train a new " + preset
				+ " model.");
		}
		if ((lockImage || lockText || unlockLast > 0) && from == null) {
			throw new ClipException("--lock-image, --lock-text and --unlock-last keep pretrained towers as they are; "
				+ "they need --from MODEL (a new model's towers are random).");
		}
		if (unlockLast < 0) throw new ClipException("--unlock-last must be 0 or more, was " + unlockLast + ".");
		if (unlockLast > 0 && !lockImage && !lockText) {
			throw new ClipException("--unlock-last " + unlockLast + " unlocks layers of a locked tower: add --lock-image "
				+ "or --lock-text.");
		}
		if (epochs < 0 || steps < 0) {
			throw new ClipException("--epochs (" + epochs + ") and --steps (" + steps + ") must be positive, or 0 for an "
				+ "automatic length (" + AUTOMATIC_EPOCHS + " epochs, at least " + MIN_AUTOMATIC_STEPS + " steps).");
		}
		if (batchSize < 2) throw new ClipException("--batch-size must be at least 2 (contrastive training compares images in a batch), was " + batchSize + ".");
		if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
			throw new ClipException("--lr must be a positive number (or 0 for the default), was " + learningRate + ". Try "
				+ DEFAULT_LEARNING_RATE + ".");
		}
		if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new ClipException("--weight-decay must be 0 or more, was " + weightDecay + ".");
		if (!(valFraction >= 0 && valFraction < 1)) throw new ClipException("--val-fraction must be in [0, 1), was " + valFraction + ".");
		if (!(warmupFraction >= 0 && warmupFraction <= 1)) throw new ClipException("warm-up fraction must be in [0, 1], was " + warmupFraction + ".");
		if (!(cropArea > 0 && cropArea <= 1)) {
			throw new ClipException("--crop-area must be in (0, 1] (the smallest crop as a fraction of the image, e.g. "
				+ DEFAULT_CROP_AREA + "), was " + cropArea + ".");
		}
		if (!(averageDecay >= 0 && averageDecay < 1)) {
			throw new ClipException("--ema must be 0 (off) or a decay below 1 such as 0.998, was " + averageDecay + ".");
		}
		if (!(wiseFt >= 0 && wiseFt <= 1)) {
			throw new ClipException("--wise-ft must be in (0, 1] (the weight of the fine-tuned weights; 1: off; 0: the "
				+ "default, " + DEFAULT_WISE_FT + " with --from), was " + wiseFt + ".");
		}
		if (eval != null && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(eval))) {
			throw new ClipException("--eval " + eval + " is not a folder. Give a labelled folder (class folders, or "
				+ "captioned with --val-labels) to evaluate after each epoch.");
		}
		if (wiseFt > 0 && wiseFt < 1 && from == null) {
			throw new ClipException("--wise-ft " + wiseFt + " mixes the fine-tuned weights with those of --from MODEL; it needs --from.");
		}
		return this;
	}

	/**
	 * With {@link #from}: the weight of the fine-tuned weights in the model saved, the rest being the starting model's
	 * (WiSE-FT); 1 saves the fine-tuned weights as they are. Unless given, {@value #DEFAULT_WISE_FT} with
	 * {@code --from} and 1 for a new model.
	 */
	public double wiseFt() {
		if (from == null) return 1;
		return wiseFt > 0 ? wiseFt : DEFAULT_WISE_FT;
	}

	/** The preset of a new model: the one given, else {@value #DEFAULT_PRESET}. */
	public String preset() {
		return preset != null ? preset : DEFAULT_PRESET;
	}

	/** The model a fine-tuning starts from (a model file, Hugging Face or open_clip folder), or null for a new model. */
	public String from() {
		return from;
	}

	/** Whether the image tower is kept as it is (but see {@link #unlockLast}). */
	public boolean lockImage() {
		return lockImage;
	}

	/** Whether the text tower is kept as it is (but see {@link #unlockLast}). */
	public boolean lockText() {
		return lockText;
	}

	/** Encoder layers at the end of a locked tower that train anyway, with its final norm and projection. */
	public int unlockLast() {
		return unlockLast;
	}

	/** Epochs asked for; 0 when the length is {@linkplain #totalSteps automatic} or given in steps. */
	public int epochs() {
		return epochs;
	}

	/**
	 * Steps to train with {@code perEpoch} batches per epoch: {@link #steps} when given, else {@link #epochs} epochs
	 * when given, else {@link #AUTOMATIC_EPOCHS} epochs but at least {@link #MIN_AUTOMATIC_STEPS} steps
	 * ({@link #MIN_AUTOMATIC_FINE_TUNE_STEPS} for a fine-tuning).
	 */
	public int totalSteps(int perEpoch) {
		if (steps > 0) return steps;
		if (epochs > 0) return epochs * perEpoch;
		return Math.max(AUTOMATIC_EPOCHS * perEpoch, from != null ? MIN_AUTOMATIC_FINE_TUNE_STEPS : MIN_AUTOMATIC_STEPS);
	}

	public int steps() {
		return steps;
	}

	public int batchSize() {
		return batchSize;
	}

	/**
	 * The peak learning rate: the one given, else {@link #DEFAULT_LEARNING_RATE} for a new model and
	 * {@link #FINE_TUNE_LEARNING_RATE} for a fine-tuning.
	 */
	public double learningRate() {
		if (learningRate > 0) return learningRate;
		return from != null ? FINE_TUNE_LEARNING_RATE : DEFAULT_LEARNING_RATE;
	}

	public double weightDecay() {
		return weightDecay;
	}

	public long seed() {
		return seed;
	}

	public double valFraction() {
		return valFraction;
	}

	public List<String> valLabels() {
		return valLabels;
	}

	/**
	 * A labelled folder ({@code --eval DIR}: class folders, or captioned with {@link #valLabels()}) that training
	 * evaluates zero-shot after every epoch that writes the checkpoint; null for none.
	 */
	public String eval() {
		return eval;
	}

	public boolean softTargets() {
		return softTargets;
	}

	public boolean augment() {
		return augment;
	}

	/** The smallest area of a random resized crop, as a fraction of the image. */
	public double cropArea() {
		return cropArea;
	}

	/** Decay of the moving average of the weights that is evaluated and saved ({@link WeightAverage}); 0: off. */
	public double averageDecay() {
		return averageDecay;
	}

	public int threads() {
		return threads;
	}

	/** Fluent setters; {@link #build()} validates. */
	public static final class Builder {

		private final TrainingOptions o;

		private Builder(TrainingOptions o) {
			this.o = o;
		}

		public Builder preset(String v) {
			o.preset = v;
			return this;
		}

		/** Passes over the data; 0 (default) with no {@link #steps}: an {@linkplain TrainingOptions#totalSteps automatic} length. */
		/** Fine-tune this model (file or folder) rather than train a new one. */
		public Builder from(String v) {
			o.from = v;
			return this;
		}

		/** See {@link TrainingOptions#wiseFt()}. */
		public Builder wiseFt(double alpha) {
			o.wiseFt = alpha;
			return this;
		}

		/** Lock the image and/or text tower, all but its last {@code unlockLast} layers. */
		public Builder lock(boolean image, boolean text, int unlockLast) {
			o.lockImage = image;
			o.lockText = text;
			o.unlockLast = unlockLast;
			return this;
		}

		public Builder epochs(int v) {
			o.epochs = v;
			return this;
		}

		/** Total steps; when positive it overrides {@link #epochs}. */
		public Builder steps(int v) {
			o.steps = v;
			return this;
		}

		public Builder batchSize(int v) {
			o.batchSize = v;
			return this;
		}

		public Builder learningRate(double v) {
			o.learningRate = v;
			return this;
		}

		public Builder weightDecay(double v) {
			o.weightDecay = v;
			return this;
		}

		public Builder warmupFraction(double v) {
			o.warmupFraction = v;
			return this;
		}

		public Builder seed(long v) {
			o.seed = v;
			return this;
		}

		public Builder valFraction(double v) {
			o.valFraction = v;
			return this;
		}

		/** Class names to measure zero-shot validation accuracy on when the captions name them. */
		public Builder valLabels(List<String> v) {
			o.valLabels = new ArrayList<>(v);
			return this;
		}

		/** See {@link TrainingOptions#eval()}. */
		public Builder eval(String folder) {
			o.eval = folder;
			return this;
		}

		/** Equal captions in a batch are positives for each other (default on). */
		public Builder softTargets(boolean v) {
			o.softTargets = v;
			return this;
		}

		/** Random resized crops (area {@link #cropArea} to 1 of the image) of the training images (default on). */
		public Builder augment(boolean v) {
			o.augment = v;
			return this;
		}

		/**
	 * The peak learning rate of a fine-tuning ({@code --from}): a pretrained model's features are kept, not relearnt
	 * (bench/results.md, section few-shot transfer).
	 */
	public static final double FINE_TUNE_LEARNING_RATE = 1e-4;

	/** The preset trained when neither a preset nor a starting model is given. */
	public static final String DEFAULT_PRESET = "small";

	/** The smallest area of a random resized crop, a fraction in (0, 1] of the image. */
		public Builder cropArea(double v) {
			o.cropArea = v;
			return this;
		}

		/** Random mirror images (each with probability 1/2), with or without the random crops of {@link #augment}. */
		public Builder flips(boolean horizontal, boolean vertical) {
			o.horizontalFlip = horizontal;
			o.verticalFlip = vertical;
			return this;
		}

		/**
		 * Evaluate and save an exponential moving average of the weights with this decay per step (0.998 averages
		 * over about the last 500 steps) instead of the last weights; 0 (default): off.
		 */
		public Builder averageDecay(double v) {
			o.averageDecay = v;
			return this;
		}

		/** libtorch CPU threads; 0 = one per core. */
		public Builder threads(int v) {
			o.threads = v;
			return this;
		}

		public TrainingOptions build() {
			return o.validate();
		}
	}
}
