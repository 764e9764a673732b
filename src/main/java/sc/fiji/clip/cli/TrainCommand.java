package sc.fiji.clip.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.train.EpochRecord;
import sc.fiji.clip.train.StepProgress;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/** {@code fiji-clip train}: train a CLIP model from scratch on a folder of images with captions. */
@Command(name = "train", sortOptions = false,
	description = { "Train a CLIP model on a folder of images with captions.",
		"Layouts (found automatically): captions.csv/.tsv with image,caption columns; sidecar .txt files beside the "
			+ "images; or class subfolders (captions from templates)." })
final class TrainCommand implements Callable<Integer> {

	@Option(names = "--data", required = true, description = "Folder of images with captions.")
	Path data;

	@Option(names = "--out", required = true, description = "Model file to write (.zip); the best model by validation.")
	Path out;

	@Option(names = "--preset", description = "Size of a new model: tiny, seed, demo, small or medium (default: "
		+ TrainingOptions.DEFAULT_PRESET + "; not with --from).")
	String preset;

	@Option(names = "--from", paramLabel = "MODEL", description = "Fine-tune this model (a Fiji CLIP .zip, a Hugging "
		+ "Face or open_clip CLIP folder) rather than train a new one: its architecture, tokenizer and preprocessing "
		+ "are kept (default: a new model).")
	Path from;

	@Option(names = "--lock-image", description = "With --from: keep the image tower as it is; only the text tower "
		+ "and the temperature train (LiT).")
	boolean lockImage;

	@Option(names = "--lock-text", description = "With --from: keep the text tower as it is.")
	boolean lockText;

	@Option(names = "--unlock-last", paramLabel = "N", defaultValue = "0", description = "Train the last N encoder "
		+ "layers, the final norm and the projection of a locked tower anyway (default: ${DEFAULT-VALUE}).")
	int unlockLast;

	@Option(names = "--wise-ft", paramLabel = "ALPHA", defaultValue = "0", description = "With --from: save ALPHA of the "
		+ "fine-tuned weights and 1 - ALPHA of the starting model's (WiSE-FT), which forgets less of what the start "
		+ "knew; 1 saves the fine-tuned weights as they are (default: " + TrainingOptions.DEFAULT_WISE_FT + ").")
	double wiseFt;

	@Option(names = "--epochs", defaultValue = "0", description = "Passes over the data (default: automatic, "
		+ TrainingOptions.AUTOMATIC_EPOCHS + " epochs but at least " + TrainingOptions.MIN_AUTOMATIC_STEPS + " steps).")
	int epochs;

	@Option(names = "--steps", defaultValue = "0", description = "Total steps; overrides --epochs when positive (default: ${DEFAULT-VALUE}).")
	int steps;

	@Option(names = "--batch-size", defaultValue = "64", description = "Images per step (default: ${DEFAULT-VALUE}).")
	int batchSize;

	@Option(names = "--lr", defaultValue = "0", description = "Peak learning rate (default: "
		+ TrainingOptions.DEFAULT_LEARNING_RATE + " for a new model, " + TrainingOptions.FINE_TUNE_LEARNING_RATE
		+ " with --from).")
	double lr;

	@Option(names = "--weight-decay", defaultValue = "0.1",
		description = "AdamW weight decay, not applied to biases, norms, embeddings and the temperature (default: ${DEFAULT-VALUE}).")
	double weightDecay;

	@Option(names = "--seed", defaultValue = "1", description = "Random seed: same seed, data and threads give the same losses (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--val-fraction", defaultValue = "0.1", description = "Fraction of images held out for validation (default: ${DEFAULT-VALUE}).")
	double valFraction;

	@Option(names = "--val-labels", split = ",", description = "Class names for zero-shot validation accuracy when captions name them (comma list).")
	List<String> valLabels = new ArrayList<>();

	@Option(names = "--eval", paramLabel = "DIR",
		description = "A labelled folder (class folders, or captioned with --val-labels) evaluated zero-shot after "
			+ "each epoch that writes the checkpoint (the first, the last, at most every 30 s between): eval_accuracy in "
			+ "the training log. It only reports; the validation split chooses the model.")
	Path eval;

	@Option(names = "--templates", description = "File of caption templates, one per line with {} for the class (class folders).")
	Path templates;

	@Option(names = "--image-column", description = "Image column of the captions table (default: image or filepath).")
	String imageColumn;

	@Option(names = "--caption-column", description = "Caption column of the captions table (default: caption or title).")
	String captionColumn;

	@Option(names = "--separator", description = "Separator of the captions table (default: by extension, then guessed).")
	Character separator;

	@Option(names = "--no-soft-targets", description = "Treat equal captions in a batch as negatives (plain CLIP loss).")
	boolean noSoftTargets;

	@Option(names = "--no-augment", description = "Train on the centre crops only (no random resized crops).")
	boolean noAugment;

	@Option(names = "--crop-area", paramLabel = "MIN", defaultValue = "" + TrainingOptions.DEFAULT_CROP_AREA,
		description = "Smallest random crop, as a fraction of the image's area (default: ${DEFAULT-VALUE}).")
	double cropArea;

	@Option(names = "--flip", description = "Also flip training images horizontally and vertically at random (with or without crops).")
	boolean flip;

	@Option(names = "--ema", defaultValue = "0", paramLabel = "DECAY",
		description = "Save and validate a moving average of the weights with this decay per step, e.g. 0.998; 0: the "
			+ "last weights (default: ${DEFAULT-VALUE}).")
	double ema;

	@Option(names = "--resume", description = "Continue the training saved in this checkpoint (NAME.checkpoint.zip).")
	Path resume;

	@Option(names = "--overwrite", description = "Replace --out if it exists.")
	boolean overwrite;

	@Mixin
	CommonOptions common;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		if (Files.exists(out) && !overwrite && resume == null) {
			throw new ClipException("--out " + out + " exists. Choose another file or add --overwrite.");
		}
		Path parent = out.toAbsolutePath().getParent();
		if (parent == null || !Files.isDirectory(parent)) {
			throw new ClipException("Cannot write --out " + out + ": the folder " + parent + " does not exist. Create it "
				+ "first or choose another path.");
		}
		CaptionDataset dataset = scan();
		TrainingOptions options = TrainingOptions.builder().preset(preset).from(from == null ? null : from.toString())
			.lock(lockImage, lockText, unlockLast).wiseFt(wiseFt).epochs(epochs).steps(steps).batchSize(batchSize)
			.learningRate(lr).weightDecay(weightDecay).seed(seed).valFraction(valFraction).valLabels(valLabels).eval(eval != null ? eval.toString() : null)
			.softTargets(!noSoftTargets).augment(!noAugment).cropArea(cropArea).flips(flip, flip).averageDecay(ema).threads(common.threads).build();
		Device device = common.start();
		// Ctrl-C: ask the training to stop after its current step, and hold the JVM until the checkpoint is written
		AtomicBoolean interrupted = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(1);
		Thread hook = new Thread(() -> {
			interrupted.set(true);
			try {
				finished.await(120, TimeUnit.SECONDS);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		});
		Runtime.getRuntime().addShutdownHook(hook);
		TerminalProgress progress = new TerminalProgress(err);
		TrainingListener listener = new TrainingListener() {

			@Override
			public void message(String text) {
				progress.println(text);
			}

			@Override
			public void decoding(int done, int total) {
				progress.update(String.format("decoding %d/%d images", done, total));
			}

			@Override
			public void step(StepProgress p) {
				progress.update(p.line());
			}

			@Override
			public void epoch(EpochRecord record) {
				progress.println(record.summary());
			}

			@Override
			public boolean isCancelled() {
				return interrupted.get();
			}
		};
		progress.println("device: " + device + ", threads: " + sc.fiji.clip.engine.ClipEngine.threads());
		try {
			TrainingResult result = resume != null ? Trainer.resume(resume, dataset, out, device, listener)
				: new Trainer(options, device, listener).train(dataset, out);
			progress.println(String.format("%s after %d steps (%.0f images/s).", result.cancelled() ? "Stopped" : "Done",
				result.steps(), result.imagesPerSecond()));
			PrintWriter stdout = spec.commandLine().getOut();
			if (result.model() != null) stdout.println("model: " + result.model().toAbsolutePath());
			stdout.println("checkpoint: " + result.checkpoint().toAbsolutePath());
			stdout.println("log: " + result.log().toAbsolutePath());
			stdout.flush();
			return result.cancelled() ? 130 : 0;
		} finally {
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			} catch (IllegalStateException e) {
				// shutting down after Ctrl-C: the hook is running and lets the JVM exit now
			}
		}
	}

	private CaptionDataset scan() {
		DatasetScanner.Builder scanner = DatasetScanner.builder();
		if (imageColumn != null) scanner.imageColumn(imageColumn);
		if (captionColumn != null) scanner.captionColumn(captionColumn);
		if (separator != null) scanner.separator(separator);
		if (templates != null) scanner.templates(CaptionTemplates.fromFile(templates));
		return scanner.build().scan(data);
	}
}
