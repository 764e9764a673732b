package sc.fiji.clip.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.eval.Evaluator;
import sc.fiji.clip.fewshot.ExampleSet;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;

/**
 * The few-shot transfer benchmark: pretrain {@code small} from scratch on Fashion-MNIST classes 0-4 only, then for
 * classes 5-9 with k labelled training images per class (k = 1, 4, 16, 64; 3 draws each) measure on the 5 000 test
 * images of classes 5-9: zero-shot, the few-shot cache, the linear probe, fine-tuning ({@code train --from}) with and
 * without a locked image tower, and training from scratch on the same images. Fine-tuned models are also measured on
 * 2 500 test images of classes 0-4 (forgetting). Everything runs through the code the commands run (class folders,
 * {@link ExampleSet#read}, {@link Trainer}, {@link Evaluator}); times are wall-clock per method and draw, the
 * evaluation of the 5 000 test images included. {@code tune} lists the fine-tunings at k = 16 that chose the
 * defaults, as {@code lr:steps} (0: the default). Arguments {@code [threads=2] [ks=1,4,16,64] [draws=3]
 * [pretrain.steps=1200] [tune=3e-5:0,3e-4:0,...] [wise=0.75,0.5,...] [rows=true] [ceiling=true]
 * [self-training=0.5,0.8] [python=PATH] [json=FILE]}; {@code wise} lists the WiSE-FT weights fine-tuning is
 * measured with at every k ({@code rows=false}: those alone); {@code ceiling} adds {@link FewShotCeiling}'s yardsticks
 * ({@code python}: and the PyTorch ones; {@code self-training}: the fractions of {@link SelfTraining}'s rounds, empty
 * to leave it out); the pretrained model is kept for the next run.
 */
public final class FewShotTransfer {

	private static final Path WORK = Paths.get("bench/work/few-shot");
	static final List<String> OLD = FashionMnist.CLASSES.subList(0, 5), NEW = FashionMnist.CLASSES.subList(5, 10);
	/** Training images of classes 5-9 the draws are taken from. */
	static final int POOL = 2000;
	/** The pretraining's steps (of 128 images) and learning rate, unless {@code pretrain.steps} says otherwise. */
	static final int PRETRAIN_STEPS = 1200;
	static final double PRETRAIN_LEARNING_RATE = 2e-3;

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		ClipEngine.setThreads(threads);
		int[] ks = Stream.of(a.getOrDefault("ks", "1,4,16,64").split(",")).filter(k -> !k.isBlank()).mapToInt(Integer::parseInt).toArray();
		int draws = Integer.parseInt(a.getOrDefault("draws", "3"));
		Path fm = Paths.get(FashionMnist.DEFAULT_DIR);
		Path train = FashionMnist.export(fm, "train", WORK.resolve("fm-train"));
		Path test = FashionMnist.export(fm, "t10k", WORK.resolve("fm-test"));
		Path oldTrain = classes(train, OLD, 2000, WORK.resolve("old-train"));
		Path oldTest = classes(test, OLD, 500, WORK.resolve("old-test"));
		Path newTest = classes(test, NEW, 1000, WORK.resolve("new-test"));
		CaptionTemplates templates = CaptionTemplates.of(FashionMnistBenchmark.TEMPLATES);

		Files.createDirectories(WORK.resolve("models"));
		Map<String, Object> json = new LinkedHashMap<>();
		int pretrainSteps = Integer.parseInt(a.getOrDefault("pretrain.steps", Integer.toString(PRETRAIN_STEPS)));
		Path pretrained = WORK.resolve("pretrained-" + pretrainSteps + ".zip");
		double pretrainSeconds = trainedOnce(pretrained, pretrainSteps, oldTrain, templates, threads);
		double zeroShotOld = zeroShot(pretrained, oldTest, templates);
		long t0 = System.nanoTime();
		double zeroShotNew = zeroShot(pretrained, newTest, templates);
		double zeroShotSeconds = seconds(t0);
		System.out.printf(Locale.ROOT, "pretrained %d steps in %.0f s: zero-shot classes 0-4 %.1f %%, classes 5-9 %.1f %%%n",
			pretrainSteps, pretrainSeconds, 100 * zeroShotOld, 100 * zeroShotNew);
		json.put("pretrain", Map.of("steps", pretrainSteps, "seconds", pretrainSeconds, "zero_shot_old", zeroShotOld,
			"zero_shot_new", zeroShotNew, "zero_shot_seconds", zeroShotSeconds));

		List<Map<String, Object>> rows = new ArrayList<>();
		boolean mainRows = Boolean.parseBoolean(a.getOrDefault("rows", "true"));
		for (int k : mainRows ? ks : new int[0]) {
			for (int draw = 1; draw <= draws; draw++) {
				Path shots = draw(train, k, draw);
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("k", k);
				row.put("draw", draw);
				for (FewShotMethod m : FewShotMethod.values()) {
					long t = System.nanoTime();
					row.put(m.id(), fewShot(pretrained, shots, newTest, m, templates));
					row.put(m.id() + "_seconds", seconds(t));
				}
				fineTune(row, "fine_tune", pretrained, shots, newTest, oldTest, templates, false, 0, 0, 0, threads, k);
				fineTune(row, "fine_tune_locked", pretrained, shots, newTest, oldTest, templates, true, 0, 0, 0, threads, k);
				long t = System.nanoTime();
				Path scratch = scratch(WORK, shots, k, draw, templates, threads);
				row.put("scratch", zeroShot(scratch, newTest, templates));
				row.put("scratch_seconds", seconds(t));
				System.out.println("[few-shot] " + row);
				rows.add(row);
			}
		}
		if (mainRows) json.put("rows", rows);

		List<Map<String, Object>> wiseRows = new ArrayList<>();
		for (String alpha : a.getOrDefault("wise", "").split(",")) {
			if (alpha.isBlank()) continue;
			for (int k : ks) {
				for (int draw = 1; draw <= draws; draw++) {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("alpha", Double.parseDouble(alpha));
					row.put("k", k);
					row.put("draw", draw);
					fineTune(row, "fine_tune", pretrained, draw(train, k, draw), newTest, oldTest, templates, false, 0, 0,
						Double.parseDouble(alpha), threads, k);
					System.out.println("[few-shot wise-ft] " + row);
					wiseRows.add(row);
				}
			}
		}
		if (!wiseRows.isEmpty()) json.put("wise_ft", wiseRows);

		List<Map<String, Object>> tuneRows = new ArrayList<>();
		for (String setting : a.getOrDefault("tune", "").split(",")) {
			if (setting.isBlank()) continue;
			String[] lrSteps = setting.split(":");
			double lr = Double.parseDouble(lrSteps[0]);
			int steps = lrSteps.length > 1 ? Integer.parseInt(lrSteps[1]) : 0;
			for (boolean lock : new boolean[] { false, true }) {
				for (int draw = 1; draw <= draws; draw++) {
					Map<String, Object> row = new LinkedHashMap<>();
					row.put("lr", lr);
					row.put("steps", steps);
					row.put("lock_image", lock);
					row.put("draw", draw);
					fineTune(row, "fine_tune", pretrained, draw(train, 16, draw), newTest, oldTest, templates, lock, lr, steps,
						1, threads, 16);
					System.out.println("[few-shot tune] " + row);
					tuneRows.add(row);
				}
			}
		}
		json.put("tuning_k16", tuneRows);
		if (Boolean.parseBoolean(a.getOrDefault("ceiling", "true"))) {
			double[] selfTraining = Stream.of(a.getOrDefault("self-training", "0.5,0.8").split(",")).filter(f -> !f.isBlank())
				.mapToDouble(Double::parseDouble).toArray();
			json.put("ceiling", FewShotCeiling.measure(WORK, train, newTest, pretrained, pretrainSteps, templates,
				selfTraining, threads, draws, a.get("python")));
		}
		json.put("fine_tune_learning_rate", TrainingOptions.FINE_TUNE_LEARNING_RATE);
		json.put("fine_tune_wise_ft", TrainingOptions.DEFAULT_WISE_FT);
		json.put("threads", threads);
		Bench.finish(a, "few-shot", json);
	}

	static double seconds(long start) {
		return (System.nanoTime() - start) / 1e9;
	}

	/**
	 * Trains {@code small} from scratch on {@code folder} with the pretraining's recipe into {@code model}, unless a
	 * previous run left it there with its training time beside it; returns that time in seconds.
	 */
	static double trainedOnce(Path model, int steps, Path folder, CaptionTemplates templates, int threads)
		throws IOException
	{
		Path time = model.resolveSibling(model.getFileName().toString().replaceFirst("\\.zip$", ".seconds"));
		if (!Files.exists(model) || !Files.exists(time)) {
			long t = System.nanoTime();
			trainWithPretrainingRecipe(model, steps, folder, templates, threads);
			Files.writeString(time, Double.toString(seconds(t)));
		}
		return Double.parseDouble(Files.readString(time).strip());
	}

	/** Trains {@code small} from scratch on {@code folder} into {@code model} as the pretraining does. */
	static void trainWithPretrainingRecipe(Path model, int steps, Path folder, CaptionTemplates templates, int threads) {
		new Trainer(TrainingOptions.builder().preset("small").steps(steps).batchSize(128).learningRate(PRETRAIN_LEARNING_RATE)
			.augment(false).valFraction(0).threads(threads).build(), Device.cpu(), null).train(scan(folder, templates), model);
	}

	/** Trains {@code small} from scratch on the k images of draw {@code draw} with the defaults of {@code train}. */
	static Path scratch(Path work, Path shots, int k, int draw, CaptionTemplates templates, int threads) {
		Path scratch = scratchModel(work, k, draw);
		new Trainer(TrainingOptions.builder().preset("small").batchSize(Math.min(64, 5 * k)).valFraction(0)
			.threads(threads).seed(draw).build(), Device.cpu(), null).train(scan(shots, templates), scratch);
		return scratch;
	}

	/** Where {@link #scratch} writes its model. */
	static Path scratchModel(Path work, int k, int draw) {
		return work.resolve("models/scratch-" + k + "-" + draw + ".zip");
	}

	static CaptionDataset scan(Path folder, CaptionTemplates templates) {
		return DatasetScanner.builder().templates(templates).build().scan(folder);
	}

	/** Zero-shot accuracy of a model on a folder of class folders, by the class names. */
	static double zeroShot(Path model, Path data, CaptionTemplates templates) {
		try (ClipModel clip = ModelFiles.load(model, Device.cpu())) {
			List<String> names = folders(data).stream().map(f -> f.replace('_', ' ')).collect(Collectors.toList());
			try (ImageScorer scorer = ZeroShotClassifier.create(clip, LabelSet.of(names), templates)) {
				return Evaluator.evaluate(scorer, data, List.of(), templates, ProgressListener.NONE).confusion().accuracy();
			}
		}
	}

	static double fewShot(Path model, Path shots, Path data, FewShotMethod method, CaptionTemplates templates) {
		try (ClipModel clip = ModelFiles.load(model, Device.cpu());
			ImageScorer scorer = method.fit(clip, ExampleSet.read(clip, shots, ProgressListener.NONE), templates))
		{
			double accuracy = Evaluator.evaluate(scorer, data, List.of(), templates, ProgressListener.NONE).confusion().accuracy();
			System.out.println("  " + FewShotMethod.describe(scorer));
			return accuracy;
		}
	}

	private static void fineTune(Map<String, Object> row, String key, Path pretrained, Path shots, Path newTest,
		Path oldTest, CaptionTemplates templates, boolean lockImage, double lr, int steps, double wise, int threads, int k)
	{
		long t = System.nanoTime();
		Path out = WORK.resolve("models/" + key + "-" + shots.getFileName() + "-" + lr + "-" + steps + "-" + wise + ".zip");
		new Trainer(TrainingOptions.builder().from(pretrained.toString()).lock(lockImage, false, 0).learningRate(lr).wiseFt(wise)
			.steps(steps)
			.batchSize(Math.min(64, 5 * k)).valFraction(0).threads(threads).seed((Integer) row.get("draw")).build(),
			Device.cpu(), new TrainingListener() {}).train(scan(shots, templates), out);
		row.put(key, zeroShot(out, newTest, templates));
		row.put(key + "_seconds", seconds(t));
		row.put(key + "_old", zeroShot(out, oldTest, templates));
	}

	/** {@code k} random training images of each of classes 5-9 (draw {@code draw}), as class folders, made once. */
	static Path draw(Path train, int k, int draw) throws IOException {
		Path target = WORK.resolve("shots/k" + k + "-d" + draw);
		if (Files.exists(target.resolve(".complete"))) return target;
		Random random = new Random(1000L * k + draw);
		for (String c : NEW) {
			List<Path> files = sorted(train.resolve(c)).subList(0, POOL);
			List<Path> pool = new ArrayList<>(files);
			java.util.Collections.shuffle(pool, random);
			Path dir = Files.createDirectories(target.resolve(c));
			for (Path f : pool.subList(0, k)) Files.copy(f, dir.resolve(f.getFileName()));
		}
		Files.createFile(target.resolve(".complete"));
		return target;
	}

	/** The first {@code perClass} images of each of {@code classes}, as class folders, made once. */
	static Path classes(Path source, List<String> classes, int perClass, Path target) throws IOException {
		if (Files.exists(target.resolve(".complete"))) return target;
		for (String c : classes) {
			Path dir = Files.createDirectories(target.resolve(c));
			for (Path f : sorted(source.resolve(c)).subList(0, perClass)) Files.copy(f, dir.resolve(f.getFileName()));
		}
		Files.createFile(target.resolve(".complete"));
		return target;
	}

	private static List<Path> sorted(Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(p -> p.toString().endsWith(".png")).sorted().collect(Collectors.toList());
		}
	}

	private static List<String> folders(Path dir) {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
