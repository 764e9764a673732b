package sc.fiji.clip.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.data.CaptionClasses;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.DatasetLayout;
import sc.fiji.clip.data.DatasetSplit;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RandomResizedCrop;
import sc.fiji.clip.io.AtomicFiles;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.io.SafetensorsWriter;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipArchitecture;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;

/**
 * Trains a CLIP model on a folder of images with captions: symmetric contrastive loss (equal captions in a batch
 * are positives for each other), AdamW with warm-up and cosine decay, a validation split by image with zero-shot
 * accuracy when captions name classes, the best model kept at {@code out} (a later one within the validation's
 * noise of the best replaces it), an atomic checkpoint after the first and last epoch, on cancel and at most every
 * 30 s in between, and exact resumption.
 * Images are decoded once; the next batch is prepared on another thread while the current one trains. On the CPU a
 * batch's images are encoded in shares side by side ({@link ImageShards}), and AdamW's updates run on the same
 * threads. With {@link TrainingOptions#averageDecay} a moving average of the weights ({@link WeightAverage}) is what
 * is validated and saved; the checkpoint keeps both.
 */
public final class Trainer {

	private final TrainingOptions options;
	private final Device device;
	private final TrainingListener listener;
	private int shareCount;
	private EpochEvaluation evaluation;

	public Trainer(TrainingOptions options, Device device, TrainingListener listener) {
		this.options = options.validate();
		this.device = device;
		this.listener = listener != null ? listener : new TrainingListener() {};
	}

	/**
	 * Splits each batch's images into {@code count} shares encoded on as many threads, one core each (tests);
	 * 1 encodes the batch as one, 0 (the default) uses one share per libtorch thread on the CPU.
	 */
	Trainer imageShares(int count) {
		shareCount = count;
		return this;
	}

	/**
	 * Checkpoint and log are written after the first epoch, after the last, on cancel, and in between at most this
	 * often: a small folder's epochs take a fraction of a second, and writing the checkpoint every epoch cost more
	 * than the training.
	 */
	static final long CHECKPOINT_INTERVAL_NANOS = 30_000_000_000L;

	/** The checkpoint kept beside a model: {@code NAME.checkpoint.zip}. */
	public static Path checkpointPath(Path out) {
		String name = out.getFileName().toString();
		String stem = name.toLowerCase(Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
		return out.resolveSibling(stem + ".checkpoint.zip");
	}

	/** The training log beside a model. */
	public static Path logPath(Path out) {
		return out.toAbsolutePath().resolveSibling("training-log.csv");
	}

	/** Trains a new model of the options' preset on {@code dataset} and writes it to {@code out}. */
	public TrainingResult train(CaptionDataset dataset, Path out) {
		return run(dataset, out, null);
	}

	/**
	 * Continues the training saved in {@code checkpoint} with its own options (seed, schedule, batch size) on the
	 * same data, from the step where it stopped.
	 */
	public static TrainingResult resume(Path checkpoint, CaptionDataset dataset, Path out, Device device,
		TrainingListener listener)
	{
		byte[] state = ModelFiles.readEntry(checkpoint, TrainingState.ENTRY);
		if (state == null) {
			throw new ClipException(checkpoint + " is a model but not a training checkpoint (it has no "
				+ TrainingState.ENTRY + "). Resume from the NAME.checkpoint.zip written beside a trained model.");
		}
		TrainingOptions saved = TrainingOptions.fromJson(TrainingState.fromJson(new String(state,
			StandardCharsets.UTF_8)).optionsJson);
		return new Trainer(saved, device, listener).run(dataset, out, checkpoint);
	}

	private TrainingResult run(CaptionDataset dataset, Path out, Path resumeFrom) {
		ClipEngine.setThreads(options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors());
		Path checkpoint = checkpointPath(out);
		Path log = logPath(out);
		Path folder = out.toAbsolutePath().getParent();
		if (folder == null || !Files.isDirectory(folder)) {
			throw new ClipException("Cannot write the model " + out + ": the folder " + folder + " does not exist. Create "
				+ "it first or choose another path (checked before training, so no work is lost).");
		}
		TrainingState state = new TrainingState();
		state.optionsJson = options.toJson();
		DatasetSplit split = options.valFraction() > 0 && dataset.imageCount() >= 2
			? dataset.split(options.valFraction(), options.seed()) : null;
		CaptionDataset trainSet = split != null ? split.train() : dataset;
		CaptionDataset valSet = split != null ? split.val() : null;
		listener.message(dataset.describe() + (split != null ? "; " + trainSet.imageCount() + " for training, "
			+ valSet.imageCount() + " for validation" : ""));
		if (!dataset.skipReport().isEmpty()) listener.message(dataset.skipReport().summary());
		evaluation = EpochEvaluation.of(options, listener);

		ClipModel model = resumeFrom != null ? ModelFiles.load(resumeFrom, device)
			: options.from() != null ? startingModel(options.from())
			: ClipModel.create(ClipPreset.parse(options.preset()).config(), options.seed(), device);
		TowerLock lock = new TowerLock(options.lockImage(), options.lockText(), options.unlockLast(), model.config());
		if (lock.any()) {
			model.weights().lock(lock);
			long open = model.weights().trainableByName().values().stream().mapToLong(a -> a.getShape().size()).sum();
			listener.message(String.format(Locale.ROOT, "Locked: %s%s; %,d of %,d parameters train.",
				options.lockImage() && options.lockText() ? "both towers" : options.lockImage() ? "the image tower"
					: "the text tower", options.unlockLast() > 0 ? " but its last " + options.unlockLast() + " layer(s)" : "",
				open, model.parameterCount()));
		}
		ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
			Thread t = new Thread(r, "fiji-clip-batches");
			t.setDaemon(true);
			return t;
		});
		try (model; AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed);
			TrainStep step = new TrainStep(model, adam, options.softTargets(), shareCount);
			WeightAverage average = options.averageDecay() > 0
				? new WeightAverage(model.weights().manager(), model.weights().trainableByName(), options.averageDecay()) : null;
			WeightMix mix = options.wiseFt() < 1 ? new WeightMix(Path.of(options.from()), model, options.wiseFt()) : null)
		{
			if (mix != null) {
				listener.message(String.format(Locale.ROOT, "WiSE-FT: the model saved is %.2f of the fine-tuned weights and %.2f "
					+ "of %s's.", mix.alpha(), 1 - mix.alpha(), Path.of(options.from()).getFileName()));
			}
			if (resumeFrom != null) restore(resumeFrom, state, adam, average);
			ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
			int size = model.imageSize();
			try (TrainingData train = decode(trainSet, processor, size, "training");
				TrainingData val = valSet != null ? decode(valSet, processor, size, "validation") : null)
			{
				if (train.size() < 2) {
					throw new ClipException("Only " + train.size() + " readable training image(s) in " + dataset.root()
						+ "; contrastive training needs at least 2. " + String.join("; ", train.unreadable()));
				}
				if (options.batchSize() > train.size()) {
					listener.message("Batch size " + options.batchSize() + " is larger than the " + train.size()
						+ " training images; using " + train.size() + ".");
				}
				Accuracy accuracy = Accuracy.of(dataset, options.valLabels(), val);
				model.config().fiji_clip.templates = dataset.layout() == DatasetLayout.CLASS_FOLDERS
					? dataset.templates().templates() : new ArrayList<>();
				return loop(model, adam, average, mix, step, train, val, accuracy, out, checkpoint, log, state, loader, dataset);
			}
		} finally {
			loader.shutdownNow();
		}
	}

	/** The model a fine-tuning starts from, with a message that names it and its size. */
	private ClipModel startingModel(String from) {
		Path path = Path.of(from);
		if (!Files.exists(path)) {
			throw new ClipException("--from " + from + " does not exist. Give a Fiji CLIP model file (.zip) or a Hugging "
				+ "Face or open_clip CLIP folder.");
		}
		ClipModel model = ModelFiles.load(path, device);
		listener.message("Fine-tuning " + path.getFileName() + ": " + model.config().describe());
		return model;
	}

	private TrainingData decode(CaptionDataset set, ClipImageProcessor processor, int size, String what) {
		listener.message("Decoding " + set.imageCount() + " " + what + " images at " + size + " px...");
		TrainingData data = TrainingData.decode(set, processor, size, listener::decoding, listener::isCancelled);
		if (!data.unreadable().isEmpty()) {
			listener.message(data.unreadable().size() + " " + what + " image(s) could not be read and are skipped:\n  "
				+ String.join("\n  ", data.unreadable().subList(0, Math.min(10, data.unreadable().size()))));
		}
		if (!data.inMemory()) listener.message("The " + what + " images are cached in a temporary file (too many for memory).");
		return data;
	}

	private void restore(Path checkpoint, TrainingState state, AdamW adam, WeightAverage average) {
		TrainingState saved = TrainingState.fromJson(new String(ModelFiles.readEntry(checkpoint, TrainingState.ENTRY),
			StandardCharsets.UTF_8));
		state.step = saved.step;
		state.epoch = saved.epoch;
		state.batchInEpoch = saved.batchInEpoch;
		state.seconds = saved.seconds;
		state.best = saved.best;
		state.records = saved.records;
		byte[] moments = ModelFiles.readEntry(checkpoint, TrainingState.OPTIMIZER_ENTRY);
		if (moments != null) {
			try (NDManager reading = ClipEngine.get().newBaseManager(Device.cpu())) {
				adam.restore(NDList.decode(reading, new ByteArrayInputStream(moments)), saved.step);
			}
		}
		byte[] averages = average != null ? ModelFiles.readEntry(checkpoint, TrainingState.AVERAGE_ENTRY) : null;
		if (averages != null) {
			try (NDManager reading = ClipEngine.get().newBaseManager(Device.cpu())) {
				average.restore(NDList.decode(reading, new ByteArrayInputStream(averages)), saved.step);
			}
		}
		listener.message("Resuming " + checkpoint + " at step " + saved.step + " (epoch " + (saved.epoch + 1) + ").");
	}

	private TrainingResult loop(ClipModel model, AdamW adam, WeightAverage average, WeightMix mix, TrainStep trainStep, TrainingData train, TrainingData val, Accuracy accuracy,
		Path out, Path checkpoint, Path log, TrainingState state, ExecutorService loader, CaptionDataset dataset)
	{
		int batch = Math.min(options.batchSize(), train.size());
		int perEpoch = new EpochPlan(train, 0, options.seed(), batch).batches();
		int total = options.totalSteps(perEpoch);
		int epochs = (total + perEpoch - 1) / perEpoch;
		state.totalSteps = total;
		LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(),
			(int) Math.round(Math.min(0.1 * total, 500) * (options.warmupFraction / 0.1)), total);
		RandomResizedCrop augmentation = options.augment() ? new RandomResizedCrop(new ClipImageProcessor(model.preprocessing()),
			options.cropArea(), 1.0, 3 / 4.0, 4 / 3.0, options.horizontalFlip ? 0.5 : 0, options.verticalFlip ? 0.5 : 0) : null;
		ClipImageProcessor plain = new ClipImageProcessor(model.preprocessing());
		Path best = state.records.isEmpty() || !Files.exists(out) ? null : out;
		int size = model.imageSize();
		long started = System.nanoTime();
		double secondsBefore = state.seconds;
		int stepsThisRun = 0;
		long lastCheckpoint = started;
		ByteBuffer[] batches = new ByteBuffer[2];
		int[] prepared = { 0 };
		model.weights().setTrainable(true);
		try {
			EpochPlan plan = new EpochPlan(train, state.epoch, options.seed(), batch), upcoming = null;
			Future<ByteBuffer> next = prepare(loader, batches, prepared, plan, state.batchInEpoch, train, augmentation, plain, size);
			for (int epoch = state.epoch; epoch < epochs && state.step < total; epoch++) {
				if (upcoming != null) {
					plan = upcoming;
					upcoming = null;
				}
				int first = epoch == state.epoch ? state.batchInEpoch : 0;
				double lossSum = 0;
				int lossCount = 0;
				for (int b = first; b < plan.batches() && state.step < total; b++) {
					if (listener.isCancelled()) {
						state.epoch = epoch;
						state.batchInEpoch = b;
						state.seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
						model.weights().setTrainable(false);
						saveCheckpoint(model, adam, average, state, checkpoint);
						listener.message("Cancelled at step " + state.step + "; checkpoint saved to " + checkpoint
							+ " (continue with --resume).");
						return new TrainingResult(best, checkpoint, log, state.records, true, state.step,
							throughput(stepsThisRun, batch, started));
					}
					ByteBuffer pixels = Tasks.result(next, "Training");
					List<String> captions = plan.captions(b);
					// the next batch, of this epoch or the first of the next, is prepared while this one trains
					if (b + 1 < plan.batches()) {
						next = prepare(loader, batches, prepared, plan, b + 1, train, augmentation, plain, size);
					} else if (epoch + 1 < epochs && state.step + 1 < total) {
						upcoming = new EpochPlan(train, epoch + 1, options.seed(), batch);
						next = prepare(loader, batches, prepared, upcoming, 0, train, augmentation, plain, size);
					}
					float lr = schedule.at(state.step);
					float loss = trainStep.run(pixels, captions, plan.positives(b), lr, (float) options.weightDecay(),
						TrainStep.Phases.NONE);
					if (!Float.isFinite(loss) || loss > TrainStep.DIVERGED) {
						throw new ClipException(String.format(Locale.ROOT, "Training diverged at step %d (loss %s) with "
							+ "learning rate %.3g. Lower --lr (e.g. half of it). %s", state.step + 1, loss,
							options.learningRate(), Files.exists(checkpoint) ? "The last good checkpoint " + checkpoint
								+ " is kept." : "No checkpoint had been written yet."));
					}
					if (average != null) average.update(model.weights().trainableByName(), trainStep.threads());
					state.step++;
					stepsThisRun++;
					lossSum += loss;
					lossCount++;
					double rate = throughput(stepsThisRun, batch, started);
					listener.step(new StepProgress(epoch + 1, epochs, state.step, total, loss, lr, rate,
						(total - state.step) * batch / Math.max(rate, 1e-9)));
				}
				state.epoch = epoch + 1;
				state.batchInEpoch = 0;
				state.seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
				model.weights().setTrainable(false);
				double trainLoss = lossSum / Math.max(1, lossCount);
				boolean last = state.epoch >= epochs || state.step >= total;
				boolean writes = last || state.records.isEmpty() || System.nanoTime() - lastCheckpoint >= CHECKPOINT_INTERVAL_NANOS;
				EpochRecord record = averaged(model, average, () -> {
					double evalAccuracy = !writes || evaluation == null ? Double.NaN : mix == null
						? evaluation.accuracy(model) : mix.mixed(model.weights(), () -> evaluation.accuracy(model));
					return evaluate(model, val, accuracy, state.epoch, state, schedule, trainLoss, batch, evalAccuracy);
				});
				state.records.add(record);
				describeTraining(model, dataset, state, record);
				if (ModelSelection.keeps(record, state.best, val != null ? val.size() : 0)) {
					state.best = Math.max(state.best, ModelSelection.metric(record));
					best = saveModel(model, average, mix, out);
				}
				if (writes) {
					saveCheckpoint(model, adam, average, state, checkpoint);
					writeLog(log, state.records);
					lastCheckpoint = System.nanoTime();
				}
				listener.epoch(record);
				model.weights().setTrainable(true);
			}
			model.weights().setTrainable(false);
			if (val == null || best == null) {
				best = saveModel(model, average, mix, out);
			}
			return new TrainingResult(best, checkpoint, log, state.records, false, state.step,
				throughput(stepsThisRun, batch, started));
		} finally {
			model.weights().setTrainable(false);
		}
	}

	/** The result of {@code work} run with the weight average, if any, in the model's weights; the last weights after. */
	private static <T> T averaged(ClipModel model, WeightAverage average, Supplier<T> work) {
		if (average == null) return work.get();
		average.swap(model.weights());
		try {
			return work.get();
		} finally {
			average.swap(model.weights());
		}
	}

	/** Writes the model, with the weight average and the WiSE-FT mix if any, to {@code out}; returns {@code out}. */
	private static Path saveModel(ClipModel model, WeightAverage average, WeightMix mix, Path out) {
		return averaged(model, average, () -> {
			if (mix == null) ModelFiles.save(model, out);
			else mix.mixed(model.weights(), () -> {
				ModelFiles.save(model, out);
				return out;
			});
			return out;
		});
	}

	private static double throughput(int steps, int batch, long started) {
		return steps * (double) batch / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
	}

	/**
	 * Prepares batch {@code batch} of {@code plan} on the loader thread straight into one of two native buffers in
	 * turn ({@code prepared} counts the batches prepared so far): the next batch fills one while the current one
	 * trains from the other, and the step's tensor borrows the buffer instead of copying it. Without crops, images
	 * are still flipped at random if the options ask for flips.
	 */
	private Future<ByteBuffer> prepare(ExecutorService loader, ByteBuffer[] batches, int[] prepared, EpochPlan plan,
		int batch, TrainingData data, RandomResizedCrop augmentation, ClipImageProcessor plain, int size)
	{
		int slot = prepared[0]++ % batches.length;
		boolean augment = augmentation != null;
		boolean flipH = options.horizontalFlip, flipV = options.verticalFlip;
		return loader.submit(() -> {
			int[] images = plan.images(batch);
			int per = 3 * size * size, bytes = images.length * per * Float.BYTES;
			if (batches[slot] == null || batches[slot].capacity() < bytes) {
				batches[slot] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
			}
			ByteBuffer buffer = batches[slot].duplicate().order(ByteOrder.nativeOrder());
			buffer.clear().limit(bytes);
			FloatBuffer pixels = buffer.asFloatBuffer();
			Random random = new Random(plan.augmentationSeed(batch));
			for (int i = 0; i < images.length; i++) {
				if (augment) augmentation.applyInto(data.image(images[i]), random, pixels, i * per);
				else plain.normalizeInto(data.image(images[i]), flipH && random.nextBoolean(),
					flipV && random.nextBoolean(), pixels, i * per);
			}
			return buffer;
		});
	}

	private EpochRecord evaluate(ClipModel model, TrainingData val, Accuracy accuracy, int epoch, TrainingState state,
		LearningRateSchedule schedule, double trainLoss, int batch, double evalAccuracy)
	{
		double valLoss = Double.NaN, valAccuracy = Double.NaN;
		if (val != null && val.size() >= 2) {
			ClipImageProcessor plain = new ClipImageProcessor(model.preprocessing());
			int size = model.imageSize(), per = 3 * size * size;
			double sum = 0;
			int count = 0, correct = 0, labelled = 0;
			try (ZeroShotClassifier classifier = accuracy != null ? accuracy.classifier(model) : null) {
				for (int from = 0; from < val.size(); from += batch) {
					int n = Math.min(batch, val.size() - from);
					if (n < 2 && count > 0) n = Math.min(val.size() - from, batch);
					float[] pixels = new float[n * per];
					List<String> captions = new ArrayList<>();
					for (int i = 0; i < n; i++) {
						plain.normalizeInto(val.image(from + i), pixels, i * per);
						captions.add(val.captions(from + i).get(0));
					}
					try (NDManager b = model.newScope()) {
						NDArray images = model.encodeImages(b.create(pixels, new Shape(n, 3, size, size)));
						if (n >= 2) {
							NDArray targets = options.softTargets() ? ContrastiveLoss.targets(captions, b) : null;
							sum += ContrastiveLoss.compute(model, images, model.encodeTexts(captions, b), targets).getFloat() * n;
							count += n;
						}
						if (classifier != null) {
							long[] predicted = classifier.probabilities(images).argMax(1).toLongArray();
							for (int i = 0; i < n; i++) {
								int truth = accuracy.truth(val, from + i);
								if (truth < 0) continue;
								labelled++;
								if (predicted[i] == truth) correct++;
							}
						}
					}
				}
			}
			if (count > 0) valLoss = sum / count;
			if (labelled > 0) valAccuracy = correct / (double) labelled;
		}
		float scale = model.weights().get(ClipArchitecture.LOGIT_SCALE).getFloat();
		return new EpochRecord(epoch, state.step, schedule.at(Math.max(0, state.step - 1)), trainLoss, valLoss, valAccuracy,
			scale, state.seconds, evalAccuracy);
	}

	private void describeTraining(ClipModel model, CaptionDataset dataset, TrainingState state, EpochRecord last) {
		JsonObject t = new JsonObject();
		if (options.from() != null) {
			t.addProperty("from", options.from());
			if (options.lockImage()) t.addProperty("lock_image", true);
			if (options.lockText()) t.addProperty("lock_text", true);
			if (options.unlockLast() > 0) t.addProperty("unlock_last", options.unlockLast());
		} else {
			t.addProperty("preset", options.preset());
		}
		t.addProperty("data", dataset.root().toString());
		t.addProperty("layout", dataset.layout().shortName());
		t.addProperty("images", dataset.imageCount());
		t.addProperty("epochs", last.epoch);
		t.addProperty("steps", state.step);
		t.addProperty("batch_size", options.batchSize());
		t.addProperty("learning_rate", options.learningRate());
		if (options.averageDecay() > 0) t.addProperty("weight_average_decay", options.averageDecay());
		t.addProperty("seed", options.seed());
		t.addProperty("device", device.toString());
		t.addProperty("threads", ClipEngine.threads());
		t.addProperty("seconds", Math.round(state.seconds));
		if (!Double.isNaN(last.valLoss)) t.addProperty("val_loss", last.valLoss);
		if (!Double.isNaN(last.valAccuracy)) t.addProperty("val_accuracy", last.valAccuracy);
		if (!Double.isNaN(last.evalAccuracy())) {
			t.addProperty("eval", options.eval());
			t.addProperty("eval_accuracy", last.evalAccuracy());
		}
		JsonArray classes = new JsonArray();
		dataset.classNames().forEach(classes::add);
		if (classes.size() > 0) t.add("classes", classes);
		t.addProperty("date", Instant.now().toString());
		model.config().fiji_clip.training = t;
	}

	private static void saveCheckpoint(ClipModel model, AdamW adam, WeightAverage average, TrainingState state, Path checkpoint) {
		Map<String, AtomicFiles.Content> extra = new LinkedHashMap<>();
		String json = state.toJson();
		extra.put(TrainingState.ENTRY, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
		extra.put(TrainingState.OPTIMIZER_ENTRY, o -> SafetensorsWriter.write(adam.state(), o));
		if (average != null) extra.put(TrainingState.AVERAGE_ENTRY, o -> SafetensorsWriter.write(average.state(), o));
		ModelFiles.save(model, checkpoint, extra);
	}

	private static void writeLog(Path log, List<EpochRecord> records) {
		StringBuilder csv = new StringBuilder(EpochRecord.CSV_HEADER).append('\n');
		for (EpochRecord r : records) csv.append(r.csv()).append('\n');
		AtomicFiles.write(log, o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
	}

	/** Zero-shot validation accuracy: class names, how to find each validation image's class, and text embeddings. */
	static final class Accuracy {

		private final List<String> labels;
		private final CaptionTemplates templates;
		private final CaptionClasses fromCaptions;

		private Accuracy(List<String> labels, CaptionTemplates templates, CaptionClasses fromCaptions) {
			this.labels = labels;
			this.templates = templates;
			this.fromCaptions = fromCaptions;
		}

		static Accuracy of(CaptionDataset dataset, List<String> valLabels, TrainingData val) {
			if (val == null) return null;
			if (!valLabels.isEmpty()) {
				CaptionClasses classes = CaptionClasses.of(valLabels);
				return new Accuracy(classes.names(), CaptionTemplates.defaults(), classes);
			}
			if (dataset.layout() == DatasetLayout.CLASS_FOLDERS && dataset.classNames().size() >= 2) {
				return new Accuracy(dataset.classNames(), dataset.templates(), null);
			}
			return null;
		}

		/** A classifier of the class names with the dataset's templates; close it after the validation. */
		ZeroShotClassifier classifier(ClipModel model) {
			return ZeroShotClassifier.create(model, LabelSet.of(labels), templates);
		}

		/** Index of the class of validation image {@code i}, or -1 when it has none (or several, from captions). */
		int truth(TrainingData val, int i) {
			if (fromCaptions == null) return labels.indexOf(val.className(i));
			return Math.max(-1, fromCaptions.classOf(val.captions(i)));
		}
	}
}
