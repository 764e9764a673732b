package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
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
		RandomPairs batch = new RandomPairs(6, 16, 3, "pair");
		Map<String, float[]> result = new LinkedHashMap<>();
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			for (int step = 0; step < 3; step++) {
				try (NDManager scope = model.newScope()) {
					NDArray x = batch.images(scope);
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						collector.backward(ContrastiveLoss.compute(model, model.encodeImages(x),
							model.encodeTexts(batch.captions, scope), null));
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
