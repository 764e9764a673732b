package sc.fiji.clip.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * Few-shot labelling with no training: the zero-shot text logits plus a cache of labelled example embeddings
 * (Tip-Adapter, Zhang et al. 2022), mixed as {@link CacheWeights} says. The classes are the examples' classes; their
 * text embeddings come from a {@link ZeroShotClassifier} this classifier owns. Arrays live in the classifier's own
 * scope on the model's device; close it to free them.
 */
public final class CacheClassifier implements ImageScorer {

	private final ZeroShotClassifier text;
	private final ExampleSet examples;
	private final CacheWeights weights;
	private final NDManager scope;
	/** [projection, examples] */
	private final NDArray keys;
	/** [examples, classes]: 1 / (examples of the class) where an example belongs to it */
	private final NDArray classMeans;
	/** [projection, classes], made once in the text classifier's scope */
	private final NDArray textKeys;

	private CacheClassifier(ZeroShotClassifier text, ExampleSet examples, CacheWeights weights) {
		this.text = text;
		this.examples = examples;
		this.weights = weights;
		ClipModel model = text.model();
		int n = examples.size(), d = examples.dimension(), classes = examples.classes().size();
		textKeys = text.textEmbeddings().transpose();
		scope = model.newScope();
		try {
			keys = scope.create(examples.flatEmbeddings(), new Shape(n, d)).transpose();
			float[] means = new float[n * classes];
			int[] counts = examples.counts();
			for (int i = 0; i < n; i++) means[i * classes + examples.classOf(i)] = 1f / counts[examples.classOf(i)];
			classMeans = scope.create(means, new Shape(n, classes));
		} catch (RuntimeException e) {
			scope.close();
			throw e;
		}
	}

	/**
	 * A classifier for the examples' classes, their texts put into {@code templates} (null: the model's default),
	 * with the weights chosen by {@link CacheWeightSearch leave-one-out} on the examples.
	 */
	public static CacheClassifier fit(ClipModel model, ExampleSet examples, CaptionTemplates templates) {
		ZeroShotClassifier text = ZeroShotClassifier.create(model, examples.classes(), templates);
		try {
			CacheWeights w = CacheWeightSearch.choose(examples, text.textEmbeddingRows(), text.scale());
			return new CacheClassifier(text, examples, w);
		} catch (RuntimeException e) {
			text.close();
			throw e;
		}
	}

	/** A classifier with the given weights. */
	public static CacheClassifier create(ClipModel model, ExampleSet examples, CaptionTemplates templates,
		CacheWeights weights)
	{
		Objects.requireNonNull(weights, "weights");
		ZeroShotClassifier text = ZeroShotClassifier.create(model, examples.classes(), templates);
		try {
			return new CacheClassifier(text, examples, weights);
		} catch (RuntimeException e) {
			text.close();
			throw e;
		}
	}

	/** One class's logit from its text cosine and mean example affinity: the formula of {@link CacheWeights}. */
	static double logit(double textCosine, double cache, float alpha, float scale) {
		return Float.isInfinite(alpha) ? scale * cache : scale * (textCosine + alpha * cache);
	}

	@Override
	public NDArray probabilities(NDArray imageEmbeddings) {
		NDArray cache = imageEmbeddings.matMul(keys).sub(1).mul(weights.beta()).exp().matMul(classMeans);
		float scale = text.scale();
		NDArray logits = weights.examplesOnly() ? cache.mul(scale)
			: imageEmbeddings.matMul(textKeys).add(cache.mul(weights.alpha())).mul(scale);
		return logits.softmax(-1);
	}

	@Override
	public LabelSet labels() {
		return examples.classes();
	}

	@Override
	public ClipModel model() {
		return text.model();
	}

	/** The weights in use. */
	public CacheWeights weights() {
		return weights;
	}

	/** The examples in the cache. */
	public ExampleSet examples() {
		return examples;
	}

	/** The templates of the class texts. */
	public CaptionTemplates templates() {
		return text.templates();
	}

	@Override
	public void close() {
		try {
			scope.close();
		} finally {
			text.close();
		}
	}
}
