package sc.fiji.clip.bench;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.EpochRecord;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/**
 * Accuracy on real data: trains on the 60 000 Fashion-MNIST training images (class folders, captions from the class
 * names and a few templates), then labels the 10 000 test images zero-shot against the 10 class names through the
 * same folder labeller a lab uses. Prints the curve, the accuracy, wall time and images/s of each seed's run
 * (seeds 1, 2 and 3 unless told) and their mean. Not a unit test:
 * {@code java -cp ... sc.fiji.clip.bench.FashionMnistBenchmark [key=value ...]} with keys preset, epochs, batch, lr,
 * wd, val, threads, augment, hflip, ema, seeds (comma-separated) or seed, data, work, json.
 */
public final class FashionMnistBenchmark {

	static final List<String> TEMPLATES = List.of("a photo of a {}.", "a {}.", "a {} in grayscale.",
		"a picture of a {}.");

	/** What one run measured. */
	static final class Result {
		final Map<String, Object> settings = new LinkedHashMap<>();
		final List<EpochRecord> curve = new ArrayList<>();
		double accuracy, trainSeconds, labelSeconds, trainImagesPerSecond, labelImagesPerSecond;
		int labelled, correct;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		String seeds = a.containsKey("seed") ? a.get("seed") : a.getOrDefault("seeds", "1,2,3");
		List<Map<String, Object>> runs = new ArrayList<>();
		Map<String, Object> settings = null;
		double sum = 0, min = 1, max = 0, slowest = 0;
		for (String seed : seeds.split(",")) {
			Map<String, String> one = new LinkedHashMap<>(a);
			one.put("seed", seed.trim());
			Result r = run(one, System.out);
			System.out.printf(Locale.ROOT, "fashion-mnist %s: test accuracy %.2f %% (%d/%d), training %.0f s (%.0f images/s), "
				+ "labelling %.1f s (%.0f images/s), total %.0f s%n", r.settings, 100 * r.accuracy, r.correct, r.labelled,
				r.trainSeconds, r.trainImagesPerSecond, r.labelSeconds, r.labelImagesPerSecond, r.trainSeconds + r.labelSeconds);
			settings = new LinkedHashMap<>(r.settings);
			settings.remove("seed");
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("seed", Long.parseLong(seed.trim()));
			json.put("accuracy", r.accuracy);
			json.put("correct", r.correct);
			json.put("labelled", r.labelled);
			json.put("train_seconds", r.trainSeconds);
			json.put("train_images_per_second", r.trainImagesPerSecond);
			json.put("label_seconds", r.labelSeconds);
			json.put("label_images_per_second", r.labelImagesPerSecond);
			json.put("curve", r.curve);
			runs.add(json);
			sum += r.accuracy;
			min = Math.min(min, r.accuracy);
			max = Math.max(max, r.accuracy);
			slowest = Math.max(slowest, r.trainSeconds + r.labelSeconds);
		}
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("settings", settings);
		json.put("templates", TEMPLATES);
		json.put("accuracy_mean", sum / runs.size());
		json.put("accuracy_min", min);
		json.put("accuracy_max", max);
		json.put("slowest_run_seconds", slowest);
		json.put("runs", runs);
		System.out.printf(Locale.ROOT, "fashion-mnist over %d seeds: mean %.2f %%, min %.2f %%, max %.2f %%, slowest run %.0f s%n",
			runs.size(), 100 * sum / runs.size(), 100 * min, 100 * max, slowest);
		Bench.finish(a, "fashion-mnist", json);
	}

	static Result run(Map<String, String> a, java.io.PrintStream log) throws Exception {
		Path data = Paths.get(a.getOrDefault("data", FashionMnist.DEFAULT_DIR));
		Path work = Paths.get(a.getOrDefault("work", "bench/work/fashion-mnist"));
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		TrainingOptions options = TrainingOptions.builder()
			.preset(a.getOrDefault("preset", "small"))
			.epochs(Integer.parseInt(a.getOrDefault("epochs", "13")))
			.batchSize(Integer.parseInt(a.getOrDefault("batch", "256")))
			.learningRate(Double.parseDouble(a.getOrDefault("lr", "3e-3")))
			.weightDecay(Double.parseDouble(a.getOrDefault("wd", "0.1")))
			.valFraction(Double.parseDouble(a.getOrDefault("val", "0.02")))
			.augment(Boolean.parseBoolean(a.getOrDefault("augment", "false")))
			.flips(Boolean.parseBoolean(a.getOrDefault("hflip", "false")), false)
			.averageDecay(Double.parseDouble(a.getOrDefault("ema", "0.998")))
			.threads(threads)
			.seed(Long.parseLong(a.getOrDefault("seed", "1")))
			.build();
		ClipEngine.setThreads(threads);
		log.println("Writing Fashion-MNIST as PNG class folders under " + work + " (once)...");
		Path train = FashionMnist.export(data, "train", work.resolve("train"));
		Path test = FashionMnist.export(data, "t10k", work.resolve("test"));
		Path templates = work.resolve("templates.txt");
		Files.write(templates, TEMPLATES);
		Path out = Files.createDirectories(work.resolve("model")).resolve("fashion-mnist.zip");

		Result r = new Result();
		r.settings.put("preset", options.preset());
		r.settings.put("epochs", options.epochs());
		r.settings.put("batch", options.batchSize());
		r.settings.put("lr", options.learningRate());
		r.settings.put("wd", options.weightDecay());
		r.settings.put("val", options.valFraction());
		r.settings.put("augment", options.augment());
		r.settings.put("hflip", a.getOrDefault("hflip", "false"));
		r.settings.put("ema", options.averageDecay());
		r.settings.put("threads", threads);
		r.settings.put("seed", options.seed());

		long t0 = System.nanoTime();
		CaptionDataset dataset = DatasetScanner.builder().templates(CaptionTemplates.fromFile(templates)).build().scan(train);
		TrainingResult trained = new Trainer(options, Device.cpu(), new TrainingListener() {
			@Override
			public void message(String text) {
				log.println(text);
			}

			@Override
			public void epoch(EpochRecord record) {
				log.printf(Locale.ROOT, "  %s (%.0f s since start)%n", record.summary(), (System.nanoTime() - t0) / 1e9);
			}
		}).train(dataset, out);
		r.trainSeconds = (System.nanoTime() - t0) / 1e9;
		r.trainImagesPerSecond = trained.imagesPerSecond();
		r.curve.addAll(trained.records());

		long t1 = System.nanoTime();
		try (ClipModel model = ModelFiles.load(trained.model(), Device.cpu());
			ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(FashionMnist.labels()),
				ZeroShotClassifier.defaultTemplates(model)))
		{
			ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).batchSize(256).build();
			LabelSummary summary = labeller.label(test, row -> {
				r.labelled++;
				String truth = Paths.get(row.image()).getParent().getFileName().toString().replace('_', ' ');
				if (truth.equals(row.label())) r.correct++;
			});
			if (summary.skipped() > 0) log.println(summary);
		}
		r.labelSeconds = (System.nanoTime() - t1) / 1e9;
		r.labelImagesPerSecond = r.labelled / r.labelSeconds;
		r.accuracy = r.correct / (double) Math.max(1, r.labelled);
		return r;
	}
}
