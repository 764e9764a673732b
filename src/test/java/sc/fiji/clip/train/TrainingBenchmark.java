package sc.fiji.clip.train;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/**
 * Training speed and the effect of soft targets; prints numbers, asserts nothing. Not a unit test: run with
 * {@code java -cp ... sc.fiji.clip.train.TrainingBenchmark [steps|soft] [threads] [rounds]}; "steps" times each
 * preset's step with the batch's images in one share and in the default shares, taking turns.
 */
public final class TrainingBenchmark {

	public static void main(String[] args) throws Exception {
		String what = args.length > 0 ? args[0] : "steps";
		int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
		ClipEngine.setThreads(threads);
		int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
		if (what.equals("steps")) {
			for (int r = 0; r < rounds; r++) {
				for (String preset : List.of("seed", "small", "medium")) {
					for (int shares : new int[] { 1, 0 }) stepTime(ClipPreset.parse(preset), 128, threads, shares);
				}
			}
		} else {
			softTargets(threads);
		}
	}

	static void stepTime(ClipPreset preset, int batch, int threads, int shares) {
		int size = preset.config().vision_config.image_size;
		Random random = new Random(1);
		float[] pixels = new float[batch * 3 * size * size];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
		List<String> captions = new ArrayList<>();
		for (int i = 0; i < batch; i++) captions.add("a " + ShapesDataset.COLORS.get(i % 5) + " " + ShapesDataset.SHAPES.get(i % 4) + " " + i);
		try (ClipModel model = ClipModel.create(preset.config(), 1, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			java.nio.ByteBuffer batchPixels = java.nio.ByteBuffer.allocateDirect(pixels.length * Float.BYTES)
				.order(java.nio.ByteOrder.nativeOrder());
			batchPixels.asFloatBuffer().put(pixels);
			int warm = 3, measured = 10;
			long t0 = 0;
			int used;
			try (TrainStep step = new TrainStep(model, adam, true, shares)) {
				used = step.shares();
				for (int s = 0; s < warm + measured; s++) {
					if (s == warm) t0 = System.nanoTime();
					step.run(batchPixels, captions, captions, 1e-4f, 0.1f, TrainStep.Phases.NONE);
				}
			}
			double ms = (System.nanoTime() - t0) / 1e6 / measured;
			System.out.printf("train step %-5s batch %d, %d threads, %d image shares: %.1f ms/step, %.0f images/s (%,d "
				+ "parameters)%n", preset, batch, threads, used, ms, batch * 1000 / ms, model.parameterCount());
		}
	}

	/** Class-folder shapes captioned by 4 templates: validation accuracy with and without class-aware soft targets. */
	static void softTargets(int threads) throws Exception {
		Path dir = Files.createTempDirectory("soft-targets");
		Path flat = ShapesDataset.write(dir.resolve("flat"), 3000, 32, 7);
		Path classes = Files.createDirectories(dir.resolve("classes"));
		for (Path png : (Iterable<Path>) Files.walk(flat.resolve("images")).filter(p -> p.toString().endsWith(".png"))::iterator) {
			String[] parts = png.getFileName().toString().replace(".png", "").split("_");
			Path folder = Files.createDirectories(classes.resolve(parts[1] + "_" + parts[2]));
			Files.copy(png, folder.resolve(png.getFileName()));
		}
		CaptionDataset data = DatasetScanner.builder().templates(sc.fiji.clip.data.CaptionTemplates.of("a photo of a {}.",
			"an image of a {}.", "a {}", "a small {}.")).build().scan(classes);
		for (boolean soft : new boolean[] { true, false }) {
			List<EpochRecord> records = new ArrayList<>();
			TrainingOptions options = TrainingOptions.builder().preset("demo").epochs(10).batchSize(64).learningRate(1e-3)
				.weightDecay(0.05).valFraction(0.2).seed(3).softTargets(soft).threads(threads).build();
			long t0 = System.nanoTime();
			new Trainer(options, Device.cpu(), new TrainingListener() {
				@Override
				public void epoch(EpochRecord r) {
					records.add(r);
				}
			}).train(data, dir.resolve("m-" + soft + ".zip"));
			StringBuilder curve = new StringBuilder();
			for (EpochRecord r : records) curve.append(String.format(" %.1f", 100 * r.valAccuracy));
			System.out.printf("soft targets %-5s: val accuracy per epoch (%%):%s  (%d classes, %.0f s)%n", soft, curve,
				data.classNames().size(), (System.nanoTime() - t0) / 1e9);
		}
	}
}
