package sc.fiji.clip.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.model.ClipModel;

/**
 * Fits a {@link LinearProbe}: cross-entropy on the examples plus {@code lambda / 2 * |W - T|^2}, where {@code T} are
 * the classes' text embeddings, minimised by full-batch Adam for {@value #STEPS} steps from {@code W = T, b = 0}.
 * {@code lambda} is chosen from {@link #LAMBDAS} by stratified cross-validation (up to {@value #FOLDS} folds, as many
 * as the rarest class has examples); with one example of some class it is {@value #DEFAULT_LAMBDA}. Every array of a
 * fit lives in its own scope, each step's temporaries in a sub-scope closed after the step.
 */
public final class LinearProbeFit {

	/** Adam steps of one fit. */
	static final int STEPS = 300;
	/** Adam's learning rate. */
	static final float LEARNING_RATE = 0.005f;
	/** The pulls towards the text tried by cross-validation. */
	static final float[] LAMBDAS = { 1e-4f, 1e-3f, 1e-2f, 1e-1f, 1f };
	/** The pull used when cross-validation cannot choose. */
	public static final float DEFAULT_LAMBDA = 1e-2f;
	/** Most folds of the cross-validation. */
	public static final int FOLDS = 5;

	private LinearProbeFit() {}

	/** A probe for {@code examples}, with {@code text[c]} the normalised text embedding of class {@code c}. */
	public static LinearProbe fit(ClipModel model, ExampleSet examples, float[][] text) {
		int folds = Math.min(FOLDS, examples.fewestPerClass());
		float scale = model.scale();
		float lambda = DEFAULT_LAMBDA;
		double accuracy = Double.NaN;
		if (folds >= 2) {
			int[] fold = folds(examples, folds);
			double best = -1;
			for (float l : LAMBDAS) {
				int correct = 0;
				for (int k = 0; k < folds; k++) {
					List<Integer> train = new ArrayList<>();
					for (int i = 0; i < examples.size(); i++) if (fold[i] != k) train.add(i);
					float[][][] wb = solve(model, examples, train, text, l);
					for (int i = 0; i < examples.size(); i++) {
						if (fold[i] != k) continue;
						double[] logits = LinearProbe.logits(examples.embedding(i), wb[0], wb[1][0], scale);
						if (CacheWeightSearch.argmax(logits) == examples.classOf(i)) correct++;
					}
				}
				double acc = correct / (double) examples.size();
				if (acc > best) {
					best = acc;
					lambda = l;
				}
			}
			accuracy = best;
		}
		List<Integer> all = new ArrayList<>();
		for (int i = 0; i < examples.size(); i++) all.add(i);
		float[][][] wb = solve(model, examples, all, text, lambda);
		return new LinearProbe(model, examples.classes(), wb[0], wb[1][0], lambda, accuracy);
	}

	/** Fold of each example: the examples of each class dealt out in turn, so every fold has every class. */
	static int[] folds(ExampleSet examples, int folds) {
		int[] fold = new int[examples.size()];
		int[] seen = new int[examples.classes().size()];
		for (int i = 0; i < fold.length; i++) fold[i] = seen[examples.classOf(i)]++ % folds;
		return fold;
	}

	/** Weights [classes][d] and biases {{b}} minimising the penalised cross-entropy over the examples {@code rows}. */
	static float[][][] solve(ClipModel model, ExampleSet examples, List<Integer> rows, float[][] text, float lambda) {
		int n = rows.size(), d = examples.dimension(), c = text.length;
		float[] features = new float[n * d], targets = new float[n * c], prior = new float[c * d];
		for (int r = 0; r < n; r++) {
			int i = rows.get(r);
			System.arraycopy(examples.embedding(i), 0, features, r * d, d);
			targets[r * c + examples.classOf(i)] = 1f / n;
		}
		for (int k = 0; k < c; k++) System.arraycopy(text[k], 0, prior, k * d, d);
		float scale = model.scale();
		float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;
		try (NDManager fit = model.newScope()) {
			NDArray x = fit.create(features, new Shape(n, d));
			NDArray y = fit.create(targets, new Shape(n, c));
			NDArray t = fit.create(prior, new Shape(c, d));
			NDArray[] state = { t.duplicate(), fit.zeros(new Shape(c)), fit.zeros(new Shape(c, d)),
				fit.zeros(new Shape(c, d)), fit.zeros(new Shape(c)), fit.zeros(new Shape(c)) };
			for (int step = 1; step <= STEPS; step++) {
				try (NDManager scope = fit.newSubManager()) {
					x.tempAttach(scope);
					y.tempAttach(scope);
					t.tempAttach(scope);
					for (NDArray a : state) a.attach(scope);
					NDArray w = state[0], b = state[1];
					NDArray residual = x.matMul(w.transpose()).mul(scale).add(b).softmax(-1).mul(1f / n).sub(y);
					NDArray gw = residual.transpose().matMul(x).mul(scale).add(w.sub(t).mul(lambda));
					NDArray gb = residual.sum(new int[] { 0 });
					float corrected = (float) (LEARNING_RATE * Math.sqrt(1 - Math.pow(beta2, step))
						/ (1 - Math.pow(beta1, step)));
					NDArray[] next = new NDArray[6];
					for (int p = 0; p < 2; p++) {
						NDArray g = p == 0 ? gw : gb;
						next[2 + 2 * p] = state[2 + 2 * p].mul(beta1).add(g.mul(1 - beta1));
						next[3 + 2 * p] = state[3 + 2 * p].mul(beta2).add(g.square().mul(1 - beta2));
						next[p] = state[p].sub(next[2 + 2 * p].mul(corrected).div(next[3 + 2 * p].sqrt().add(epsilon)));
					}
					for (NDArray a : next) a.attach(fit);
					state = next;
				}
			}
			float[] w = state[0].toFloatArray();
			float[][] rowsOut = new float[c][];
			for (int k = 0; k < c; k++) rowsOut[k] = java.util.Arrays.copyOfRange(w, k * d, (k + 1) * d);
			return new float[][][] { rowsOut, { state[1].toFloatArray() } };
		}
	}
}
