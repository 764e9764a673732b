package sc.fiji.clip.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.model.ClipModel;

/**
 * A linear probe: multinomial logistic regression on image embeddings, {@code softmax(scale * f . w_c + b_c)}, for
 * when there are enough examples to learn the classes' directions rather than only remember the examples. The
 * class weights start at the classes' text embeddings and are pulled back towards them with strength
 * {@code lambda} (see {@link LinearProbeFit}), so a strong pull is zero-shot labelling and a weak one a plain probe.
 * The weights live in the probe's own scope on the model's device; close it to free them.
 */
public final class LinearProbe implements ImageScorer {

	private final ClipModel model;
	private final LabelSet classes;
	private final float[][] weights;
	private final float[] bias;
	private final float lambda;
	private final double accuracy;
	private final NDManager scope;
	/** [projection, classes], already multiplied by the scale */
	private final NDArray keys;
	private final NDArray biasArray;

	LinearProbe(ClipModel model, LabelSet classes, float[][] weights, float[] bias, float lambda, double accuracy) {
		this.model = model;
		this.classes = classes;
		this.weights = weights;
		this.bias = bias;
		this.lambda = lambda;
		this.accuracy = accuracy;
		int c = weights.length, d = weights[0].length;
		float[] flat = new float[c * d];
		for (int i = 0; i < c; i++) System.arraycopy(weights[i], 0, flat, i * d, d);
		scope = model.newScope();
		try {
			keys = scope.create(flat, new Shape(c, d)).mul(model.scale()).transpose();
			biasArray = scope.create(bias);
		} catch (RuntimeException e) {
			scope.close();
			throw e;
		}
	}

	/** A probe with the given class weights [classes][projection] and biases (e.g. read from a model file). */
	public static LinearProbe of(ClipModel model, LabelSet classes, float[][] weights, float[] bias, float lambda) {
		if (weights.length != classes.size() || bias.length != classes.size()) {
			throw new IllegalArgumentException(classes.size() + " classes but " + weights.length + " weight rows and "
				+ bias.length + " biases");
		}
		return new LinearProbe(model, classes, weights, bias, lambda, Double.NaN);
	}

	@Override
	public NDArray probabilities(NDArray imageEmbeddings) {
		return imageEmbeddings.matMul(keys).add(biasArray).softmax(-1);
	}

	/** Logits of one normalised embedding, in Java: what {@link #probabilities} computes before the softmax. */
	static double[] logits(float[] f, float[][] weights, float[] bias, float scale) {
		double[] l = new double[weights.length];
		for (int c = 0; c < l.length; c++) l[c] = scale * CacheWeightSearch.dot(f, weights[c]) + bias[c];
		return l;
	}

	@Override
	public LabelSet labels() {
		return classes;
	}

	@Override
	public ClipModel model() {
		return model;
	}

	/** Class weights [classes][projection] (not a copy). */
	public float[][] weights() {
		return weights;
	}

	/** Class biases (not a copy). */
	public float[] bias() {
		return bias;
	}

	/** The pull towards the text embeddings it was fitted with. */
	public float lambda() {
		return lambda;
	}

	/** Cross-validated accuracy of {@link #lambda()} on the examples; NaN when not chosen so. */
	public double accuracy() {
		return accuracy;
	}

	@Override
	public void close() {
		scope.close();
	}
}
