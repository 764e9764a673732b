package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Layer normalisation over the last axis with a learned scale and shift. */
final class LayerNorm {

	private final NDArray weight;
	private final NDArray bias;
	private final float eps;
	private final Shape shape;

	LayerNorm(ClipWeights w, String prefix, double eps) {
		this.weight = w.get(prefix + ".weight");
		this.bias = w.get(prefix + ".bias");
		this.eps = (float) eps;
		this.shape = weight.getShape();
	}

	NDArray forward(NDArray x) {
		return ai.djl.nn.norm.LayerNorm.layerNorm(x, shape, weight, bias, eps).head();
	}
}
