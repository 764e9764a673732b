package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The query, key and value projections of one attention layer as one linear map, for frozen weights: their weights
 * stacked into [3 width, width] and their biases into [3 width], the query's rows multiplied by the attention scale.
 * Built on first use from the weights as they are and built again after {@link ClipWeights#generation} changes
 * (weights made trainable, frozen again or changed in place), so it never serves stale values. Safe for several
 * threads encoding with one model.
 */
final class FusedProjection {

	private final ClipWeights weights;
	private final String prefix;
	private final float scale;
	private NDArray weight, bias;
	private long generation = -1;

	FusedProjection(ClipWeights weights, String prefix, float scale) {
		this.weights = weights;
		this.prefix = prefix;
		this.scale = scale;
	}

	/** {@code x W^T + b} for the stacked projections: [..., 3 width], queries first, then keys, then values. */
	NDArray forward(NDArray x) {
		NDArray[] wb = arrays();
		return ai.djl.nn.core.Linear.linear(x, wb[0], wb[1]).singletonOrThrow();
	}

	private synchronized NDArray[] arrays() {
		long current = weights.generation();
		if (current != generation) {
			if (weight != null) {
				weight.close();
				bias.close();
			}
			try (NDManager scope = weights.manager().newSubManager()) {
				weight = stack(scope, ".weight");
				bias = stack(scope, ".bias");
				weight.attach(weights.manager());
				bias.attach(weights.manager());
			}
			generation = current;
		}
		return new NDArray[] { weight, bias };
	}

	private NDArray stack(NDManager scope, String suffix) {
		NDArray query = weights.get(prefix + ".q_proj" + suffix).duplicate();
		query.attach(scope);
		NDArray scaled = query.muli(scale);
		return NDArrays.concat(new NDList(scaled, weights.get(prefix + ".k_proj" + suffix),
			weights.get(prefix + ".v_proj" + suffix)), 0);
	}
}
