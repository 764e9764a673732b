package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;

class AdamWTest {

	@Test
	void updatesSpreadOverThreadsEqualUpdatesOnOneThread() {
		try (BatchThreads threads = BatchThreads.start(2, "adamw-test")) {
			Map<String, float[]> alone = train(null), spread = train(threads);
			assertEquals(alone.keySet(), spread.keySet());
			for (String name : alone.keySet()) {
				assertArrayEquals(alone.get(name), spread.get(name), name + ": the same update, bit for bit");
			}
		}
	}

	/** The tiny model's weights after 3 steps on the same batch, updated on {@code threads} (null: caller's). */
	private static Map<String, float[]> train(BatchThreads threads) {
		int n = 6, size = 16;
		Random random = new Random(3);
		float[] pixels = new float[n * 3 * size * size];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
		List<String> captions = new ArrayList<>();
		for (int i = 0; i < n; i++) captions.add("pair " + i);
		Map<String, float[]> result = new LinkedHashMap<>();
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			for (int step = 0; step < 3; step++) {
				try (NDManager scope = model.newScope()) {
					NDArray x = scope.create(pixels, new Shape(n, 3, size, size));
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						collector.backward(ContrastiveLoss.compute(model, model.encodeImages(x),
							model.encodeTexts(captions, scope), null));
					}
					adam.step(parameters, 1e-2f, 0.1f, threads);
				}
			}
			for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
				try (NDArray grad = e.getValue().getGradient()) {
					assertFalse(grad.abs().sum().getFloat() > 0, e.getKey() + ": gradient zeroed after the update");
				}
				result.put(e.getKey(), e.getValue().toFloatArray());
			}
			model.weights().setTrainable(false);
		}
		return result;
	}
}
