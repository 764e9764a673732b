package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.text.TokenBatch;

class ClipModelTest {

	static float[] randomPixels(int count, int size, long seed) {
		Random r = new Random(seed);
		float[] px = new float[count * 3 * size * size];
		for (int i = 0; i < px.length; i++) px[i] = (float) r.nextGaussian();
		return px;
	}

	@Test
	void everyBlockHasTheShapeOfItsConfig() {
		for (ClipPreset preset : ClipPreset.values()) {
			ClipConfig config = preset.config();
			try (ClipModel model = ClipModel.create(config, 1, Device.cpu()); NDManager scope = model.newScope()) {
				int size = config.vision_config.image_size;
				NDArray pixels = scope.create(randomPixels(3, size, 2), new Shape(3, 3, size, size));
				assertEquals(new Shape(3, config.vision_config.hidden_size),
					new VisionTransformer(model.weights(), config.vision_config).forward(pixels).getShape(), preset + " vision pooled");
				assertEquals(new Shape(3, config.projection_dim), model.imageFeatures(pixels).getShape(), preset + " image features");
				TokenBatch tokens = model.tokenizer().encodeBatch(List.of("a red circle", "", "a much longer caption here"));
				assertEquals(new Shape(3, tokens.length(), config.text_config.hidden_size),
					model.textHiddenStates(tokens, scope).getShape(), preset + " text hidden states");
				assertEquals(new Shape(3, config.projection_dim), model.textFeatures(tokens, scope).getShape(), preset + " text features");
				NDArray norms = model.encodeTexts(tokens, scope).square().sum(new int[] { 1 }).sqrt();
				assertArrayEquals(new float[] { 1, 1, 1 }, norms.toFloatArray(), 1e-5f, preset + " unit text embeddings");
				assertEquals(new Shape(3, 3), model.logits(model.encodeImages(pixels), model.encodeTexts(tokens, scope)).getShape());
			}
		}
	}

	@Test
	void coloursEncodeAsTheImagesOfThoseColoursWithTheSameGradient() {
		float[] rgb = { 0.9f, -0.3f, 0.2f, -1.1f, 0.5f, 1.7f };
		for (ClipPreset preset : List.of(ClipPreset.TINY, ClipPreset.SEED, ClipPreset.SMALL)) {
			try (ClipModel model = ClipModel.create(preset.config(), 3, Device.cpu()); NDManager scope = model.newScope()) {
				int size = model.imageSize();
				float[][] embeddings = new float[2][], gradients = new float[2][];
				for (int uniform = 0; uniform < 2; uniform++) {
					NDArray colors = scope.create(rgb, new Shape(2, 3));
					colors.setRequiresGradient(true);
					try (ai.djl.training.GradientCollector collector = sc.fiji.clip.engine.SharedGradients.open()) {
						NDArray e = uniform == 1 ? model.encodeColors(colors)
							: model.encodeImages(colors.reshape(2, 3, 1, 1).broadcast(new Shape(2, 3, size, size)));
						float[] weights = new float[(int) e.size()];
						for (int i = 0; i < weights.length; i++) weights[i] = i % 7 - 3f;
						collector.backward(e.mul(scope.create(weights, e.getShape())).sum());
						embeddings[uniform] = e.toFloatArray();
					}
					gradients[uniform] = colors.getGradient().toFloatArray();
				}
				assertArrayEquals(embeddings[0], embeddings[1], 1e-5f, preset + ": the embeddings of one-colour images");
				assertArrayEquals(gradients[0], gradients[1], 1e-4f, preset + ": and their gradient with respect to the colours");
				assertFalse(java.util.Arrays.equals(new float[6], gradients[1]), preset + ": a gradient that is not zero");
			}
		}
	}

	/** {@code sum(e · w)} over image embeddings {@code e} with fixed weights {@code w} (a loss with no symmetry). */
	private static NDArray weightedSum(NDArray e, NDManager scope) {
		float[] weights = new float[(int) e.size()];
		for (int i = 0; i < weights.length; i++) weights[i] = i % 7 - 3f;
		return e.mul(scope.create(weights, e.getShape())).sum();
	}

	@Test
	void pixelGradientsAgreeWithFiniteDifferences() {
		// images of more than one colour reach the frozen model as pixels that need a gradient; on CPUs with AVX-512
		// the patch convolution's input gradient (oneDNN 3.7.1, jit:avx512_core backward_data) is wrong, NaN at
		// times, for widths that are not a multiple of 16 (tiny's 8). Derivatives along random directions check
		// every pixel's gradient with a few forward passes (central differences agree to about 3e-4 here)
		for (ClipPreset preset : List.of(ClipPreset.TINY, ClipPreset.SEED, ClipPreset.SMALL)) {
			try (ClipModel model = ClipModel.create(preset.config(), 3, Device.cpu()); NDManager scope = model.newScope()) {
				int size = model.imageSize();
				Shape shape = new Shape(2, 3, size, size);
				float[] x = randomPixels(2, size, 5);
				NDArray pixels = scope.create(x, shape);
				pixels.setRequiresGradient(true);
				try (ai.djl.training.GradientCollector collector = sc.fiji.clip.engine.SharedGradients.open()) {
					collector.backward(weightedSum(model.encodeImages(pixels), scope));
				}
				float[] gradient = pixels.getGradient().toFloatArray();
				Random random = new Random(11);
				double h = 1e-2;
				for (int direction = 0; direction < 3; direction++) {
					float[] d = new float[x.length], plus = new float[x.length], minus = new float[x.length];
					double analytic = 0;
					for (int i = 0; i < x.length; i++) {
						d[i] = (float) random.nextGaussian();
						plus[i] = (float) (x[i] + h * d[i]);
						minus[i] = (float) (x[i] - h * d[i]);
						analytic += gradient[i] * (double) d[i];
					}
					double numeric;
					try (NDManager fd = model.newScope()) {
						numeric = (weightedSum(model.encodeImages(fd.create(plus, shape)), fd).getFloat()
							- weightedSum(model.encodeImages(fd.create(minus, shape)), fd).getFloat()) / (2 * h);
					}
					assertEquals(numeric, analytic, 3e-3 * (1 + Math.abs(numeric)),
						preset + ": the gradient with respect to the pixels along direction " + direction);
				}
			}
		}
	}

	/** The gradient of an image loss with respect to an input computed from a leaf, the weights frozen (as colours). */
	private static float[] inputGradient(ClipModel model, boolean collectGarbage) {
		try (NDManager scope = model.newScope()) {
			NDArray logits = scope.create(new float[] { 0.1f, -0.4f, 0.7f }, new Shape(1, 3, 1, 1));
			logits.setRequiresGradient(true);
			int size = model.imageSize();
			try (ai.djl.training.GradientCollector collector = sc.fiji.clip.engine.SharedGradients.open()) {
				NDArray pixels = scope.zeros(new Shape(1, 3, size, size)).add(ai.djl.nn.Activation.sigmoid(logits));
				NDArray loss = model.imageFeatures(pixels).sum();
				if (collectGarbage) {
					byte[][] garbage = new byte[64][];
					for (int i = 0; i < 400; i++) garbage[i % 64] = new byte[1 << 16];
					System.gc();
				}
				collector.backward(loss);
			}
			return logits.getGradient().toFloatArray();
		}
	}

	@Test
	void gradientsThroughTheFrozenEncoderSurviveAGarbageCollectionBeforeTheBackwardPass() {
		// the encoder frees each layer's arrays when the weights are frozen; the scalars autograd keeps must not
		// live in Java buffers the collector can free (they did: NaN or random colour gradients on a first run)
		try (ClipModel model = ClipModel.create(ClipPreset.SEED.config(), 1, Device.cpu())) {
			float[] quiet = inputGradient(model, false);
			for (int round = 0; round < 3; round++) {
				assertArrayEquals(quiet, inputGradient(model, true), "round " + round);
			}
		}
	}

	@Test
	void presetsHaveTheDocumentedSizes() {
		long tiny = new ClipArchitecture(ClipPreset.TINY.config()).parameterCount();
		long seed = new ClipArchitecture(ClipPreset.SEED.config()).parameterCount();
		long small = new ClipArchitecture(ClipPreset.SMALL.config()).parameterCount();
		long medium = new ClipArchitecture(ClipPreset.MEDIUM.config()).parameterCount();
		assertTrue(tiny > 1000 && tiny < 10_000, "tiny has a few thousand parameters: " + tiny);
		assertTrue(seed > tiny && small > seed && medium > 4 * small, tiny + " < " + seed + " < " + small + " < " + medium);
		assertEquals(9, ClipPreset.SEED.config().vision_config.hidden_size);
		assertEquals(32, ClipPreset.SEED.config().text_config.max_position_embeddings);
	}

	@Test
	void causalMaskHidesLaterTokensFromEarlierPositions() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 3, Device.cpu()); NDManager scope = model.newScope()) {
			TokenBatch a = model.tokenizer().encodeBatch(List.of("abcdef"));
			TokenBatch b = model.tokenizer().encodeBatch(List.of("abcxyz"));
			float[] ha = model.textHiddenStates(a, scope).toFloatArray();
			float[] hb = model.textHiddenStates(b, scope).toFloatArray();
			int width = model.config().text_config.hidden_size;
			int same = 4 * width; // start token + "abc"
			for (int i = 0; i < same; i++) assertEquals(ha[i], hb[i], 1e-6, "position " + i / width + " saw a later token");
			boolean later = false;
			for (int i = same; i < ha.length; i++) later |= Math.abs(ha[i] - hb[i]) > 1e-4;
			assertTrue(later, "later positions must depend on the changed tokens");
		}
	}

	@Test
	void paddingDoesNotChangeThePooledTextEmbedding() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 4, Device.cpu()); NDManager scope = model.newScope()) {
			float[] alone = model.encodeTexts(List.of("cell"), scope).toFloatArray();
			float[] padded = model.encodeTexts(List.of("cell", "a much longer caption that forces padding"), scope).get(0).toFloatArray();
			assertArrayEquals(alone, padded, 1e-6f);
		}
	}

	@Test
	void repeatedTextsGiveTheEmbeddingsAndGradientsOfEncodingEveryRow() {
		List<String> texts = List.of("a red cell", "a blue cell", "a red cell", "a red cell", "a blue cell");
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 4, Device.cpu()); NDManager scope = model.newScope()) {
			Random random = new Random(7);
			float[] w = new float[texts.size() * 8];
			for (int i = 0; i < w.length; i++) w[i] = random.nextFloat() * 2 - 1;
			NDArray weights = scope.create(w, new Shape(texts.size(), 8));
			float[][] once = embeddingAndGradient(model, weights, s -> model.encodeTexts(texts, s));
			float[][] every = embeddingAndGradient(model, weights, s -> model.encodeTexts(model.tokenizer().encodeBatch(texts), s));
			assertArrayEquals(every[0], once[0], 1e-6f);
			float largest = 0;
			for (float g : every[1]) largest = Math.max(largest, Math.abs(g));
			assertTrue(largest > 1e-3, "the gradient reaches the token embeddings");
			assertArrayEquals(every[1], once[1], 1e-5f * largest);
		}
	}

	private static float[][] embeddingAndGradient(ClipModel model, NDArray weights,
		java.util.function.Function<NDManager, NDArray> encode)
	{
		NDArray parameter = model.weights().get("text_model.embeddings.token_embedding.weight");
		model.weights().setTrainable(true);
		try (NDManager scope = model.newScope();
			ai.djl.training.GradientCollector collector = sc.fiji.clip.engine.SharedGradients.open())
		{
			NDArray embedding = encode.apply(scope);
			collector.backward(embedding.mul(weights).sum());
			float[][] result = { embedding.toFloatArray(), parameter.getGradient().toFloatArray() };
			ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) parameter);
			return result;
		} finally {
			model.weights().setTrainable(false);
		}
	}

	@Test
	void sameSeedGivesTheSameModelAndAnotherSeedAnother() {
		ClipConfig config = ClipPreset.TINY.config();
		float[] px = randomPixels(2, 16, 5);
		try (ClipModel a = ClipModel.create(config, 7, Device.cpu()); ClipModel b = ClipModel.create(config, 7, Device.cpu());
			ClipModel c = ClipModel.create(config, 8, Device.cpu()))
		{
			assertArrayEquals(a.embedImages(px, 2)[1], b.embedImages(px, 2)[1]);
			assertFalse(java.util.Arrays.equals(a.embedImages(px, 2)[1], c.embedImages(px, 2)[1]));
		}
	}

	@Test
	void wrongImageSizeIsAClearError() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu()); NDManager scope = model.newScope()) {
			ClipException e = assertThrows(ClipException.class, () -> model.encodeImages(scope.zeros(new Shape(1, 3, 20, 20))));
			assertTrue(e.getMessage().contains("[batch, 3, 16, 16]"), e.getMessage());
		}
	}

	@Test
	void encodingInScopesLeavesNoArraysBehind() {
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu())) {
			BaseNDManager root = (BaseNDManager) model.weights().manager().getParentManager();
			float[] px = randomPixels(4, 16, 1);
			model.embedImages(px, 4);
			model.embedTexts(List.of("warm up"));
			int before = root.getManagedArrays().size();
			for (int i = 0; i < 300; i++) {
				model.embedImages(px, 4);
				model.embedTexts(List.of("a red circle", "a blue square " + i));
				model.scale();
			}
			assertEquals(before, root.getManagedArrays().size(), "arrays left in the model's manager after 300 batches");
		}
	}
}
