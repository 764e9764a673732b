package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;

/** The model, loss and optimizer learn together: a tiny model memorises 8 image/caption pairs. */
class OverfitTest {

	@Test
	void tinyModelOverfitsEightPairs() {
		int n = 8, size = 16;
		Random random = new Random(1);
		float[] pixels = new float[n * 3 * size * size];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
		List<String> captions = new ArrayList<>();
		for (int i = 0; i < n; i++) captions.add("pair " + i);
		float first = Float.NaN, loss = Float.NaN;
		int steps = 0;
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			while (steps < 400 && !(loss < 0.05f)) {
				try (NDManager scope = model.newScope()) {
					NDArray x = scope.create(pixels, new Shape(n, 3, size, size));
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						NDArray l = ContrastiveLoss.compute(model, model.encodeImages(x), model.encodeTexts(captions, scope), null);
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
