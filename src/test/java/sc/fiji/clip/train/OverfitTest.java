package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;

/** The model, loss and optimizer learn together: a tiny model memorises 8 image/caption pairs. */
class OverfitTest {

	@Test
	void tinyModelOverfitsEightPairs() {
		RandomPairs batch = new RandomPairs(8, 16, 1, "pair");
		float first = Float.NaN, loss = Float.NaN;
		int steps = 0;
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			while (steps < 400 && !(loss < 0.05f)) {
				try (NDManager scope = model.newScope()) {
					NDArray x = batch.images(scope);
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						NDArray l = ContrastiveLoss.compute(model, model.encodeImages(x), model.encodeTexts(batch.captions, scope), null);
						collector.backward(l);
						loss = l.getFloat();
					}
					adam.step(parameters, 1e-2f, 0.01f);
				}
				if (steps++ == 0) first = loss;
			}
		}
		System.out.printf("overfit: loss %.3f -> %.4f in %d steps%n", first, loss, steps);
		assertTrue(loss < 0.1f, "loss after " + steps + " steps: " + loss + " (started at " + first + ")");
	}
}
