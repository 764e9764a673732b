package sc.fiji.clip.bench;

import ai.djl.Device;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/**
 * The training defaults, chosen by measurement: each setting changes one default (learning rate, crop strength,
 * training length) from the trainer's, on three data sets and three seeds each: a small folder of Fashion-MNIST (20
 * images per class, upscaled to 56 px, preset {@code small}), the demo's shapes at 128 px (400 images, 20
 * colour-and-shape classes, preset {@code seed}), and 6 000 Fashion-MNIST images at 28 px ({@code small}). Each model
 * labels held-out images zero-shot. Prints one line per run and the mean per data set and setting. Not a unit test:
 * {@code java -cp ... sc.fiji.clip.bench.DefaultsStudy [threads=2] [seeds=1,2,3]
 * [sets=fmnist-small,shapes-128,fmnist-6000] [settings=defaults,lr-1e-3,...] [json=FILE]}.
 */
public final class DefaultsStudy {

	private static final Path WORK = Paths.get("bench/work/defaults");

	/** One data set: its training folder, test folder, labels, the truth of a test file and how to train on it. */
	private static final class DataSet {
		final String name, preset;
		final Path train, test;
		final List<String> labels;
		final CaptionTemplates templates;
		final Function<Path, String> truth;
		final int steps, batch;

		DataSet(String name, String preset, Path train, Path test, List<String> labels, CaptionTemplates templates,
			Function<Path, String> truth, int steps, int batch)
		{
			this.name = name;
			this.preset = preset;
			this.train = train;
			this.test = test;
			this.labels = labels;
			this.templates = templates;
			this.truth = truth;
			this.steps = steps;
			this.batch = batch;
		}
	}

	/**
	 * The settings compared, each the trainer's defaults with one change; {@code defaults} trains the data set's
	 * fixed number of steps, {@code 10-epochs} ten epochs.
	 */
	static final Map<String, BiFunction<TrainingOptions.Builder, DataSet, TrainingOptions.Builder>> SETTINGS =
		new LinkedHashMap<>();
	static {
		SETTINGS.put("defaults", (b, d) -> b);
		SETTINGS.put("lr-5e-4", (b, d) -> b.learningRate(5e-4));
		SETTINGS.put("lr-2e-3", (b, d) -> b.learningRate(2e-3));
		SETTINGS.put("crop-area-0.5", (b, d) -> b.cropArea(0.5));
		SETTINGS.put("no-crops", (b, d) -> b.augment(false));
		SETTINGS.put("10-epochs", (b, d) -> b.steps(0).epochs(10));
		SETTINGS.put("2x-steps", (b, d) -> b.steps(2 * d.steps));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		ClipEngine.setThreads(threads);
		List<Map<String, Object>> runs = new ArrayList<>();
		Map<String, Object> means = new LinkedHashMap<>();
		for (String set : a.getOrDefault("sets", "fmnist-small,shapes-128,fmnist-6000").split(",")) {
			DataSet d = dataSet(set.trim());
			for (String setting : a.getOrDefault("settings", String.join(",", SETTINGS.keySet())).split(",")) {
				if (!SETTINGS.containsKey(setting)) throw new IllegalArgumentException("Unknown setting '" + setting + "'.");
				double sum = 0;
				int n = 0;
				for (String seed : a.getOrDefault("seeds", "1,2,3").split(",")) {
					long t0 = System.nanoTime();
					TrainingOptions options = SETTINGS.get(setting).apply(TrainingOptions.builder().preset(d.preset)
						.steps(d.steps).batchSize(d.batch).valFraction(0).seed(Long.parseLong(seed.trim())).threads(threads), d).build();
					double[] result = run(d, options, setting + "-" + seed.trim());
					double seconds = (System.nanoTime() - t0) / 1e9;
					System.out.printf(Locale.ROOT, "%s %s seed=%s: %.1f %% (%.0f steps, %.0f s)%n", d.name, setting, seed,
						100 * result[0], result[1], seconds);
					Map<String, Object> r = new LinkedHashMap<>();
					r.put("set", d.name);
					r.put("setting", setting);
					r.put("seed", Long.parseLong(seed.trim()));
					r.put("accuracy", result[0]);
					r.put("steps", (int) result[1]);
					r.put("seconds", seconds);
					runs.add(r);
					sum += result[0];
					n++;
				}
				means.put(d.name + "|" + setting, sum / n);
				System.out.printf(Locale.ROOT, "%s %s: mean %.1f %% over %d seeds%n", d.name, setting, 100 * sum / n, n);
			}
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("threads", threads);
		json.put("defaults", Map.of("learning_rate", TrainingOptions.builder().build().learningRate(),
			"crop_area", TrainingOptions.DEFAULT_CROP_AREA, "epochs", TrainingOptions.builder().build().epochs()));
		json.put("means", means);
		json.put("runs", runs);
		Bench.finish(a, "defaults", json);
	}

	/** Trains with {@code options} and labels the test images: accuracy and steps trained. */
	private static double[] run(DataSet d, TrainingOptions options, String name) throws IOException {
		CaptionDataset data = DatasetScanner.builder().templates(d.templates).build().scan(d.train);
		Path out = Files.createDirectories(WORK.resolve("models")).resolve(d.name + "-" + name + ".zip");
		TrainingResult trained = new Trainer(options, Device.cpu(), new TrainingListener() {}).train(data, out);
		int[] counts = new int[2];
		try (ClipModel clip = ModelFiles.load(trained.model(), Device.cpu());
			ZeroShotClassifier classifier = ZeroShotClassifier.create(clip, LabelSet.of(d.labels),
				ZeroShotClassifier.defaultTemplates(clip)))
		{
			ZeroShotLabeller.builder(classifier).build().label(d.test, row -> {
				counts[0]++;
				if (row.label().equals(d.truth.apply(d.test.resolve(row.image())))) counts[1]++;
			});
		}
		return new double[] { counts[1] / (double) Math.max(1, counts[0]), trained.steps() };
	}

	private static DataSet dataSet(String name) throws IOException {
		Path fm = Paths.get(FashionMnist.DEFAULT_DIR);
		CaptionTemplates fmTemplates = CaptionTemplates.of(FashionMnistBenchmark.TEMPLATES);
		Function<Path, String> byFolder = p -> p.getParent().getFileName().toString().replace('_', ' ');
		switch (name) {
			case "fmnist-small": {
				Path train = subset(FashionMnist.export(fm, "train", WORK.resolve("fm-train")), WORK.resolve("fmnist-small/train"), 20, 56);
				Path test = subset(FashionMnist.export(fm, "t10k", WORK.resolve("fm-test")), WORK.resolve("fmnist-small/test"), 100, 56);
				return new DataSet(name, "small", train, test, FashionMnist.labels(), fmTemplates, byFolder, 600, 64);
			}
			case "fmnist-6000": {
				Path train = subset(FashionMnist.export(fm, "train", WORK.resolve("fm-train")), WORK.resolve("fmnist-6000/train"), 600, 28);
				Path test = subset(FashionMnist.export(fm, "t10k", WORK.resolve("fm-test")), WORK.resolve("fmnist-6000/test"), 200, 28);
				return new DataSet(name, "small", train, test, FashionMnist.labels(), fmTemplates, byFolder, 1000, 128);
			}
			case "shapes-128": {
				Path train = WORK.resolve("shapes-128/train"), test = WORK.resolve("shapes-128/test");
				if (!Files.exists(train.resolve("captions.csv"))) ShapesDataset.write(train, 400, 128, 11);
				if (!Files.exists(test.resolve("captions.csv"))) ShapesDataset.write(test, 400, 128, 12);
				List<String> labels = new ArrayList<>();
				for (String c : ShapesDataset.COLORS) for (String s : ShapesDataset.SHAPES) labels.add(c + " " + s);
				// files are named 00012_red_circle.png: the label is "red circle"
				Function<Path, String> byName = p -> {
					String[] parts = p.getFileName().toString().replace(".png", "").split("_");
					return parts[1] + " " + parts[2];
				};
				return new DataSet(name, "seed", train, test, labels, CaptionTemplates.of("a {}"), byName, 600, 64);
			}
			default:
				throw new IllegalArgumentException("Unknown data set '" + name + "'.");
		}
	}

	/** The first {@code perClass} images of each class folder of {@code source}, scaled to {@code size} px, once. */
	private static Path subset(Path source, Path target, int perClass, int size) throws IOException {
		Path done = target.resolve(".complete");
		if (Files.exists(done)) return target;
		for (String c : FashionMnist.CLASSES) {
			Path dir = Files.createDirectories(target.resolve(c));
			List<Path> files;
			try (Stream<Path> s = Files.list(source.resolve(c))) {
				files = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(perClass).collect(java.util.stream.Collectors.toList());
			}
			for (Path f : files) {
				BufferedImage in = ImageIO.read(f.toFile());
				BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
				Graphics2D g = out.createGraphics();
				g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
				g.drawImage(in, 0, 0, size, size, null);
				g.dispose();
				ImageIO.write(out, "png", dir.resolve(f.getFileName()).toFile());
			}
		}
		Files.createFile(done);
		return target;
	}
}
