package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;

/**
 * Gradients through operations with constants stay right when the JVM collects garbage between the forward and the
 * backward pass. DJL's number operands ({@code x.mul(1.702f)}) live in a direct buffer that autograd does not own;
 * freed and reused, it used to give wrong, NaN or run-to-run different gradients.
 */
class ScalarOperandsTest {

	private static final float[] INPUT = { -2f, -0.5f, 0.25f, 1f, 3f, 0.7f };

	@Test
	void quickGeluGradientSurvivesGarbageCollection() {
		float[] grad = gradient(x -> Activation.QUICK_GELU.apply(x).sum(), true);
		float[] expected = new float[INPUT.length];
		for (int i = 0; i < INPUT.length; i++) {
			double s = 1 / (1 + Math.exp(-1.702 * INPUT[i]));
			expected[i] = (float) (s + INPUT[i] * 1.702 * s * (1 - s));
		}
		assertArrayEquals(expected, grad, 1e-5f);
	}

	@Test
	void normalizeGradientSurvivesGarbageCollection() {
		Function<NDArray, NDArray> f = x -> ClipModel.normalize(x.reshape(2, 3)).get(":, 0").sum();
		assertArrayEquals(gradient(f, false), gradient(f, true), 1e-6f);
	}

	@Test
	void contrastiveLossGradientSurvivesGarbageCollection() {
		Function<NDArray, NDArray> f = x -> ContrastiveLoss.compute(x.get("0:4").reshape(2, 2), null);
		assertArrayEquals(gradient(f, false), gradient(f, true), 1e-6f);
	}

	/** d f / d input; with {@code churn}, collects garbage and refills freed memory with NaN before backward. */
	private static float[] gradient(Function<NDArray, NDArray> f, boolean churn) {
		try (NDManager m = ClipEngine.get().newBaseManager()) {
			NDArray x = m.create(INPUT, new Shape(INPUT.length));
			x.setRequiresGradient(true);
			List<ByteBuffer> junk = new ArrayList<>();
			try (GradientCollector c = ClipEngine.get().newGradientCollector()) {
				NDArray y = f.apply(x);
				if (churn) {
					for (int round = 0; round < 3; round++) {
						System.gc();
						sleep();
						for (int i = 0; i < 2000; i++) {
							ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
							b.putFloat(0, Float.NaN);
							junk.add(b);
						}
					}
				}
				c.backward(y);
			}
			return x.getGradient().toFloatArray();
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(30);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
