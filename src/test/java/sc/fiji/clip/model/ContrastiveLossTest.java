package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;

class ContrastiveLossTest {

	private static final double[][] LOGITS = { { 2.0, 0.5, -1.0 }, { 0.3, 1.5, 0.2 }, { -0.4, 0.9, 3.0 } };

	/** Mean over rows of -log softmax(row)[target], both directions, averaged. */
	private static double handLoss(double[][] logits, double[][] targets) {
		int n = logits.length;
		double i2t = 0, t2i = 0;
		for (int i = 0; i < n; i++) {
			double rowMax = Double.NEGATIVE_INFINITY, colMax = Double.NEGATIVE_INFINITY;
			for (int j = 0; j < n; j++) {
				rowMax = Math.max(rowMax, logits[i][j]);
				colMax = Math.max(colMax, logits[j][i]);
			}
			double rowSum = 0, colSum = 0;
			for (int j = 0; j < n; j++) {
				rowSum += Math.exp(logits[i][j] - rowMax);
				colSum += Math.exp(logits[j][i] - colMax);
			}
			for (int j = 0; j < n; j++) {
				i2t -= targets[i][j] * (logits[i][j] - rowMax - Math.log(rowSum));
				t2i -= targets[j][i] * (logits[j][i] - colMax - Math.log(colSum));
			}
		}
		return (i2t + t2i) / (2 * n);
	}

	private static float[] flat(double[][] m) {
		float[] f = new float[m.length * m.length];
		for (int i = 0; i < m.length; i++) for (int j = 0; j < m.length; j++) f[i * m.length + j] = (float) m[i][j];
		return f;
	}

	@Test
	void lossEqualsTheHandComputedCrossEntropies() {
		double[][] eye = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		try (NDManager m = ClipEngine.get().newBaseManager(Device.cpu())) {
			float loss = ContrastiveLoss.compute(m.create(flat(LOGITS), new Shape(3, 3)), null).getFloat();
			assertEquals(handLoss(LOGITS, eye), loss, 1e-5);
		}
	}

	@Test
	void equalCaptionsShareTheTargetMass() {
		List<String> captions = List.of("a cat", "a dog", "a cat");
		double[][] soft = { { 0.5, 0, 0.5 }, { 0, 1, 0 }, { 0.5, 0, 0.5 } };
		try (NDManager m = ClipEngine.get().newBaseManager(Device.cpu())) {
			NDArray targets = ContrastiveLoss.targets(captions, m);
			assertEquals(0.5f, targets.getFloat(0, 2));
			float loss = ContrastiveLoss.compute(m.create(flat(LOGITS), new Shape(3, 3)), targets).getFloat();
			assertEquals(handLoss(LOGITS, soft), loss, 1e-5);
			assertNull(ContrastiveLoss.targets(List.of("a", "b"), m), "distinct captions use the plain diagonal");
		}
	}

	@Test
	void gradientReachesTheTemperatureAndTheEncoders() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu()); NDManager scope = model.newScope()) {
			model.weights().setTrainable(true);
			NDArray pixels = scope.create(ClipModelTest.randomPixels(4, 16, 3), new Shape(4, 3, 16, 16));
			try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
				NDArray loss = ContrastiveLoss.compute(model, model.encodeImages(pixels),
					model.encodeTexts(List.of("one", "two", "three", "four"), scope), null);
				collector.backward(loss);
			}
			for (String name : List.of(ClipArchitecture.LOGIT_SCALE, ClipArchitecture.TEXT_PROJECTION,
				"vision_model.embeddings.patch_embedding.weight", "text_model.encoder.layers.0.self_attn.q_proj.weight"))
			{
				try (NDArray grad = model.weights().get(name).getGradient()) {
					float size = grad.abs().sum().getFloat();
					assertTrue(size > 0, name + " received no gradient");
				}
			}
			model.weights().setTrainable(false);
		}
	}

	@Test
	void temperatureIsClampedAtOneHundred() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu())) {
			assertEquals(1 / 0.07, model.scale(), 1e-3);
			model.weights().get(ClipArchitecture.LOGIT_SCALE).set(new float[] { 9f });
			assertEquals(100, model.scale(), 1e-3);
			assertNotEquals(0, model.scale());
		}
	}
}
