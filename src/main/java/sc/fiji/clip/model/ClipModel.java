package sc.fiji.clip.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.engine.Scalars;
import sc.fiji.clip.image.ImagePreprocessing;
import sc.fiji.clip.text.ByteTokenizer;
import sc.fiji.clip.text.ClipTokenizer;
import sc.fiji.clip.text.TokenBatch;

/**
 * A CLIP model: the Hugging Face {@code CLIPModel} architecture (text and vision transformers projected into one
 * embedding space, a learned temperature) with its tokenizer.
 * <p>
 * Encoding methods take arrays from a scope made by {@link #newScope()} and create their results there, so closing
 * the scope frees everything a batch used. Weights are frozen (no gradients recorded) unless a trainer unfreezes them.
 */
public final class ClipModel implements AutoCloseable {

	/** The temperature is clamped at 100 (ln 100 for the log) in the loss and the logits, as OpenAI's CLIP. */
	public static final float MAX_LOGIT_SCALE = (float) Math.log(100);

	private final ClipConfig config;
	private final ClipTokenizer tokenizer;
	private final ImagePreprocessing preprocessing;
	private final Map<String, byte[]> tokenizerFiles = new LinkedHashMap<>();
	private final NDManager manager;
	private final ClipWeights weights;
	private final TextTransformer text;
	private final VisionTransformer vision;
	private final NDArray textProjection, visualProjection, logitScale;

	private ClipModel(ClipConfig config, ClipTokenizer tokenizer, ImagePreprocessing preprocessing, NDManager manager,
		ClipWeights weights)
	{
		this.config = config;
		this.tokenizer = tokenizer;
		this.preprocessing = preprocessing;
		this.manager = manager;
		this.weights = weights;
		text = new TextTransformer(weights, config.text_config);
		vision = new VisionTransformer(weights, config.vision_config);
		textProjection = weights.get(ClipArchitecture.TEXT_PROJECTION);
		visualProjection = weights.get(ClipArchitecture.VISUAL_PROJECTION);
		logitScale = weights.get(ClipArchitecture.LOGIT_SCALE);
	}

	/** A fresh model of that config with the byte tokenizer, initialised from {@code seed}. */
	public static ClipModel create(ClipConfig config, long seed, Device device) {
		config.validate("config");
		return build(config, new ByteTokenizer(config.text_config.max_position_embeddings), defaultPreprocessing(config),
			device, m -> ClipWeights.initialize(new ClipArchitecture(config), seed, m));
	}

	/** OpenAI CLIP's resize and centre crop to the model's input size, with the config's mean and std. */
	public static ImagePreprocessing defaultPreprocessing(ClipConfig config) {
		return ImagePreprocessing.openAiClip(config.vision_config.image_size).toBuilder().mean(config.fiji_clip.image_mean)
			.std(config.fiji_clip.image_std).build();
	}

	/** A model around weights made by {@code weights} inside the model's own manager on {@code device}. */
	public static ClipModel build(ClipConfig config, ClipTokenizer tokenizer, ImagePreprocessing preprocessing,
		Device device, Function<NDManager, ClipWeights> weights)
	{
		NDManager manager = ClipEngine.get().newBaseManager(device);
		try {
			return new ClipModel(config, tokenizer, preprocessing, manager, weights.apply(manager));
		} catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	/** A sub-manager on the model's device for one batch's arrays; close it when the batch is done. */
	public NDManager newScope() {
		return manager.newSubManager();
	}

	/** Image embeddings [batch, projection], not normalised, from normalised pixels [batch, 3, size, size]. */
	public NDArray imageFeatures(NDArray pixels) {
		return ai.djl.nn.core.Linear.linear(vision.forward(pixels), visualProjection).singletonOrThrow();
	}

	/**
	 * L2-normalised embeddings of images that are one colour each, given as normalised channel values [batch, 3]:
	 * the same as {@link #encodeImages} of those images up to rounding, without building their pixels.
	 */
	public NDArray encodeColors(NDArray colors) {
		return normalize(ai.djl.nn.core.Linear.linear(vision.forwardUniform(colors), visualProjection).singletonOrThrow());
	}

	/** Text embeddings [batch, projection], not normalised, created in {@code scope}. */
	public NDArray textFeatures(TokenBatch tokens, NDManager scope) {
		return ai.djl.nn.core.Linear.linear(text.forward(tokens, scope), textProjection).singletonOrThrow();
	}

	/** Per-position text hidden states [batch, tokens, width] after the final layer norm (for tests). */
	NDArray textHiddenStates(TokenBatch tokens, NDManager scope) {
		return text.hiddenStates(tokens, scope);
	}

	/** L2-normalised image embeddings. */
	public NDArray encodeImages(NDArray pixels) {
		return normalize(imageFeatures(pixels));
	}

	/** L2-normalised text embeddings. */
	public NDArray encodeTexts(TokenBatch tokens, NDManager scope) {
		return normalize(textFeatures(tokens, scope));
	}

	/**
	 * L2-normalised embeddings of texts, tokenized with the model's tokenizer. A text that repeats (class folders
	 * captioned by templates give a few distinct captions per batch) is encoded once and its row repeated, which
	 * halves a training step on such data; gradients flow back through the repetition.
	 */
	public NDArray encodeTexts(List<String> texts, NDManager scope) {
		Map<String, Integer> distinct = new LinkedHashMap<>();
		long[] rows = new long[texts.size()];
		for (int i = 0; i < rows.length; i++) rows[i] = distinct.computeIfAbsent(texts.get(i), t -> distinct.size());
		if (distinct.size() == texts.size()) return encodeTexts(tokenizer.encodeBatch(texts), scope);
		NDArray once = encodeTexts(tokenizer.encodeBatch(new ArrayList<>(distinct.keySet())), scope);
		return once.get(new NDIndex("{}", scope.create(rows)));
	}

	/** Embeddings of texts as Java arrays, one row per text. */
	public float[][] embedTexts(List<String> texts) {
		try (NDManager scope = newScope()) {
			return rows(encodeTexts(texts, scope));
		}
	}

	/** Embeddings of {@code count} images given as contiguous normalised CHW floats. */
	public float[][] embedImages(float[] pixels, int count) {
		int size = config.vision_config.image_size;
		try (NDManager scope = newScope()) {
			return rows(encodeImages(scope.create(pixels, new Shape(count, 3, size, size))));
		}
	}

	/** Rows of a [n, d] array as Java arrays. */
	public static float[][] rows(NDArray matrix) {
		int n = (int) matrix.getShape().get(0), d = (int) matrix.getShape().get(1);
		float[] flat = matrix.toFloatArray();
		float[][] rows = new float[n][d];
		for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
		return rows;
	}

	/** Scales rows of {@code x} to unit length. */
	public static NDArray normalize(NDArray x) {
		NDArray norm = x.square().sum(new int[] { -1 }, true).sqrt();
		return x.div(norm.maximum(Scalars.of(norm, 1e-12f)));
	}

	/** The multiplier of cosine similarities, {@code exp(min(logit_scale, ln 100))}, as an array in {@code scope}. */
	public NDArray scale(NDManager scope) {
		NDArray s = scope.zeros(new Shape()).add(logitScale);
		return s.minimum(Scalars.of(s, MAX_LOGIT_SCALE)).exp();
	}

	/** The multiplier of cosine similarities as a number. */
	public float scale() {
		try (NDManager scope = newScope()) {
			return scale(scope).getFloat();
		}
	}

	/** Scaled cosine similarities [images, texts] of normalised embeddings. */
	public NDArray logits(NDArray images, NDArray texts) {
		return images.matMul(texts.transpose()).mul(scale(images.getManager()));
	}

	public ClipConfig config() {
		return config;
	}

	public ClipTokenizer tokenizer() {
		return tokenizer;
	}

	/** How images are resized, cropped and normalised for this model. */
	public ImagePreprocessing preprocessing() {
		return preprocessing;
	}

	/** Tokenizer files (name to content) that a saved model file carries, e.g. a pretrained model's tokenizer.json. */
	public Map<String, byte[]> tokenizerFiles() {
		return Collections.unmodifiableMap(tokenizerFiles);
	}

	/** Records a tokenizer file to be saved with the model. */
	public void addTokenizerFile(String name, byte[] content) {
		tokenizerFiles.put(name, content.clone());
	}

	public ClipWeights weights() {
		return weights;
	}

	public Device device() {
		return manager.getDevice();
	}

	/** Side of the square images the vision encoder takes. */
	public int imageSize() {
		return config.vision_config.image_size;
	}

	/** Number of scalar parameters. */
	public long parameterCount() {
		return weights.architecture().parameterCount();
	}

	@Override
	public void close() {
		manager.close();
		if (tokenizer instanceof AutoCloseable) {
			try {
				((AutoCloseable) tokenizer).close();
			} catch (Exception e) {
				// the tokenizer holds no user data; nothing to save
			}
		}
	}
}
