package sc.fiji.clip.label;

import ai.djl.Device;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/**
 * Zero-shot labelling speed on pre-decoded 64 x 64 RGB images (an in-memory RGB stack), for the seed, small and medium
 * presets with random weights; prints numbers, asserts nothing. Not a unit test: run with
 * {@code OMP_WAIT_POLICY=PASSIVE java -cp ... sc.fiji.clip.label.LabelBenchmark [threads] [images]} (defaults 2 and
 * 2048).
 * <p>
 * "labeller" is the whole path (plane to RGB, preprocessing, encoding, softmax, top-k); "encode only" is
 * {@code encodeImages} on already preprocessed batches, to show what the rest costs.
 */
public final class LabelBenchmark {

	public static void main(String[] args) {
		int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		int count = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
		ClipEngine.setThreads(threads);
		ImagePlus images = images(count, 64);
		List<String> labels = new ArrayList<>();
		for (int i = 0; i < 10; i++) labels.add("label " + i);
		System.out.printf("%d pre-decoded 64x64 RGB images, %d labels, %d libtorch threads (%d cores), java %s%n", count,
			labels.size(), ClipEngine.threads(), Runtime.getRuntime().availableProcessors(),
			System.getProperty("java.version"));
		for (ClipPreset preset : List.of(ClipPreset.SEED, ClipPreset.SMALL, ClipPreset.MEDIUM)) {
			try (ClipModel model = ClipModel.create(preset.config(), 1, Device.cpu());
				ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(labels)))
			{
				for (int batch : new int[] { 64, 256 }) {
					ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).batchSize(batch).topK(3).build();
					labeller.label(List.of(ImagePlanes.input(images(batch, 64))), r -> {}); // warm-up
					long[] rows = { 0 };
					long t0 = System.nanoTime();
					labeller.label(List.of(ImagePlanes.input(images)), r -> rows[0]++);
					double seconds = (System.nanoTime() - t0) / 1e9;
					double encode = EncodeOnly.imagesPerSecond(model, images, batch);
					System.out.printf("%-5s (%s px, %,d parameters) batch %3d: labeller %6.0f images/s, encode only %6.0f "
						+ "images/s%n", preset, model.imageSize(), model.parameterCount(), batch, rows[0] / seconds, encode);
				}
			}
		}
	}

	/** Random-noise RGB planes in memory. */
	private static ImagePlus images(int count, int side) {
		Random random = new Random(1);
		ImageStack stack = new ImageStack(side, side);
		for (int i = 0; i < count; i++) {
			int[] pixels = new int[side * side];
			for (int p = 0; p < pixels.length; p++) pixels[p] = random.nextInt(1 << 24);
			stack.addSlice(new ColorProcessor(side, side, pixels));
		}
		return new ImagePlus("benchmark", stack);
	}
}
