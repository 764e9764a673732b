package sc.fiji.clip.color;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;
import sc.fiji.clip.train.AdamW;

/**
 * A tiny CLIP trained in the test on solid colours: noisy 16×16 images of random shades of red, green, blue, yellow,
 * cyan, magenta, white, black and grey with those words as captions. Its weights are frozen again when training ends.
 */
final class SolidColorModel {

	static final String[] NAMES = { "red", "green", "blue", "yellow", "cyan", "magenta", "white", "black", "grey" };
	/** Each name's colour: 1 high (0.7–1), 0 low (0–0.3), 0.5 middle (0.4–0.6). */
	private static final double[][] LEVELS = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 1, 1, 0 }, { 0, 1, 1 },
		{ 1, 0, 1 }, { 1, 1, 1 }, { 0, 0, 0 }, { 0.5, 0.5, 0.5 } };

	/** Final training loss of the last model made. */
	static float lastLoss = Float.NaN;

	private SolidColorModel() {}

	static ClipModel train(long seed, int steps) {
		ClipModel model = ClipModel.create(ClipPreset.TINY.config(), seed, Device.cpu());
		int size = model.imageSize(), perName = 2, n = NAMES.length * perName;
		double[] mean = model.preprocessing().mean(), std = model.preprocessing().std();
		Random random = new Random(seed);
		List<String> captions = new ArrayList<>();
		for (int i = 0; i < n; i++) captions.add(NAMES[i % NAMES.length]);
		try (AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed)) {
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			for (int step = 0; step < steps; step++) {
				float[] pixels = new float[n * 3 * size * size];
				for (int i = 0; i < n; i++) {
					double[] levels = LEVELS[i % NAMES.length];
					for (int c = 0; c < 3; c++) {
						double level = levels[c] == 0.5 ? 0.4 + 0.2 * random.nextDouble()
							: levels[c] > 0.5 ? 0.7 + 0.3 * random.nextDouble() : 0.3 * random.nextDouble();
						for (int j = 0; j < size * size; j++) {
							double v = level + 0.03 * random.nextGaussian();
							pixels[(i * 3 + c) * size * size + j] = (float) ((v - mean[c]) / std[c]);
						}
					}
				}
				try (NDManager scope = model.newScope()) {
					NDArray x = scope.create(pixels, new Shape(n, 3, size, size));
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						NDArray loss = ContrastiveLoss.compute(model, model.encodeImages(x), model.encodeTexts(captions, scope),
							ContrastiveLoss.targets(captions, scope));
						collector.backward(loss);
						lastLoss = loss.getFloat();
					}
					adam.step(parameters, 5e-3f, 0.01f);
				}
			}
		} catch (RuntimeException e) {
			model.close();
			throw e;
		} finally {
			model.weights().setTrainable(false);
		}
		if (!Float.isFinite(lastLoss)) {
			model.close();
			throw new IllegalStateException("training the solid-colour model diverged: loss " + lastLoss);
		}
		return model;
	}
}
