package sc.fiji.clip.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorProgress;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.DemoEvaluation;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.EpochRecord;
import sc.fiji.clip.train.StepProgress;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/**
 * {@code fiji-clip demo}: the whole job on data it makes itself. Draws coloured shapes captioned "a red circle",
 * trains a model on them, labels the held-back images zero-shot by colour and by shape and prints the accuracy, then
 * turns each colour word into a colour.
 */
@Command(name = "demo", sortOptions = false,
	description = "Make a synthetic set of coloured shapes, train a CLIP model on it, and label held-back images zero-shot.")
final class DemoCommand implements Callable<Integer> {

	@Option(names = "--out", description = "Folder for everything the demo writes (default: a new fiji-clip-demo-DATE folder here).")
	Path out;

	@Option(names = "--images", defaultValue = "4000", description = "Number of synthetic images (default: ${DEFAULT-VALUE}).")
	int images;

	@Option(names = "--swatches", defaultValue = "0.05", description = "Fraction of the images that are one-colour "
		+ "swatches captioned with the colour alone, so that colours found for colour words have their hue (default: ${DEFAULT-VALUE}).")
	double swatches;

	@Option(names = "--epochs", defaultValue = "15", description = "Training epochs (default: ${DEFAULT-VALUE}).")
	int epochs;

	@Option(names = "--preset", defaultValue = "demo", description = "Model size (default: ${DEFAULT-VALUE}).")
	String preset;

	@Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
	double lr;

	@Option(names = "--seed", defaultValue = "1", description = "Random seed of data and training (default: ${DEFAULT-VALUE}).")
	long seed;

	@Mixin
	CommonOptions common;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter stdout = spec.commandLine().getOut();
		Path dir = out != null ? out : Paths.get("fiji-clip-demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
		if (Files.exists(dir.resolve("data"))) {
			throw new ClipException("--out " + dir + " already holds a demo; choose another folder.");
		}
		Device device = common.start();
		TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr());
		long start = System.nanoTime();
		progress.println("Drawing " + images + " coloured shapes into " + dir.resolve("data") + " ...");
		ShapesDataset.write(dir.resolve("data"), images, 32, swatches, seed);
		CaptionDataset dataset = DatasetScanner.defaults().scan(dir.resolve("data"));
		TrainingOptions options = TrainingOptions.builder().preset(preset).epochs(epochs).batchSize(64).learningRate(lr)
			.weightDecay(0.05).valFraction(0.2).seed(seed).threads(common.threads).build();
		progress.println("Training a '" + preset + "' CLIP model on " + device + " with " + ClipEngine.threads() + " threads ...");
		Path model = dir.resolve("shapes-model.zip");
		TrainingResult result = new Trainer(options, device, new TrainingListener() {

			@Override
			public void step(StepProgress p) {
				progress.update(p.line());
			}

			@Override
			public void epoch(EpochRecord record) {
				progress.println(record.summary());
			}
		}).train(dataset, model);
		double trainSeconds = (System.nanoTime() - start) / 1e9;
		try (ClipModel clip = ModelFiles.load(result.model(), device)) {
			DemoEvaluation evaluation = DemoEvaluation.run(clip, dataset.split(options.valFraction(), seed).val());
			stdout.println();
			stdout.println(evaluation.table(8));
			int shapes = evaluation.count() - evaluation.swatchCount();
			stdout.printf("Zero-shot accuracy on %d held-back images: colours %.1f%%, shapes %.1f%%%n", shapes,
				100 * evaluation.colorAccuracy(), 100 * evaluation.shapeAccuracy());
			if (evaluation.swatchCount() > 0) {
				stdout.printf("and on %d held-back swatches: colours %.1f%%%n", evaluation.swatchCount(), 100 * evaluation.swatchAccuracy());
			}
			stdout.println();
			for (ColorResult color : new ColorOptimizer(clip).optimize(ShapesDataset.COLORS, ColorOptions.defaults(),
				ColorProgress.NONE))
			{
				stdout.printf("Colour of '%s': %s (R %d, G %d, B %d), similarity %.3f%n", color.prompt(), color.color().hex(),
					color.color().red(), color.color().green(), color.color().blue(), color.similarity());
			}
		}
		stdout.printf("Trained in %.0f s (%.0f images/s); demo took %.0f s in all.%n", trainSeconds, result.imagesPerSecond(),
			(System.nanoTime() - start) / 1e9);
		stdout.println("Everything is in " + dir.toAbsolutePath() + " (model: " + model.getFileName() + ", training-log.csv, data/).");
		return 0;
	}
}
