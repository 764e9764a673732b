package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;

/** {@code y = x W^T + b} over the last axis, with PyTorch's {@code [out, in]} weight layout. */
final class Linear {

	private final NDArray weight;
	private final NDArray bias;

	Linear(ClipWeights w, String prefix, boolean hasBias) {
		this.weight = w.get(prefix + ".weight");
		this.bias = hasBias ? w.get(prefix + ".bias") : null;
	}

	NDArray forward(NDArray x) {
		return ai.djl.nn.core.Linear.linear(x, weight, bias).singletonOrThrow();
	}
}
