package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfAttentionTest {

	private static final List<String> TEXTS = List.of("a red circle", "", "a much longer caption here");

	/** Image embeddings, then text embeddings, of fixed inputs, as one array. */
	private static float[] embeddings(ClipModel model) {
		try (NDManager scope = model.newScope()) {
			int size = model.imageSize();
			NDArray pixels = scope.create(ClipModelTest.randomPixels(3, size, 2), new Shape(3, 3, size, size));
			float[] images = model.encodeImages(pixels).toFloatArray();
			float[] texts = model.encodeTexts(TEXTS, scope).toFloatArray();
			float[] both = java.util.Arrays.copyOf(images, images.length + texts.length);
			System.arraycopy(texts, 0, both, images.length, texts.length);
			return both;
		}
	}

	@Test
	void frozenWeightsWithTheFusedProjectionEncodeAsTrainableWeights() {
		for (ClipPreset preset : List.of(ClipPreset.TINY, ClipPreset.SEED, ClipPreset.SMALL)) {
			try (ClipModel model = ClipModel.create(preset.config(), 4, Device.cpu())) {
				model.weights().setTrainable(false);
				float[] fused = embeddings(model);
				model.weights().setTrainable(true);
				float[] separate = embeddings(model);
				assertArrayEquals(separate, fused, 2e-6f, preset.toString());
			}
		}
	}

	@Test
	void frozenEncodingFollowsWeightsChangedInPlace() {
		try (ClipModel model = ClipModel.create(ClipPreset.SMALL.config(), 5, Device.cpu())) {
			model.weights().setTrainable(false);
			float[] before = embeddings(model);
			for (String name : List.of("vision_model.encoder.layers.0.self_attn.k_proj.weight",
				"text_model.encoder.layers.1.self_attn.q_proj.bias"))
			{
				model.weights().get(name).muli(3);
			}
			model.weights().contentsChanged();
			float[] after = embeddings(model);
			model.weights().setTrainable(true);
			float[] separate = embeddings(model);
			assertArrayEquals(separate, after, 2e-6f, "the fused projection is built again from the changed weights");
			double change = 0;
			for (int i = 0; i < before.length; i++) change = Math.max(change, Math.abs(before[i] - after[i]));
			assertTrue(change > 1e-3, "the change shows in the embeddings: " + change);
		}
	}
}
