package sc.fiji.clip.color;

import ai.djl.ndarray.NDArray;
import sc.fiji.clip.engine.Scalars;

/**
 * The differentiable penalties that keep palettes apart and images smooth. Constants are arrays from {@link Scalars}:
 * DJL's number operands would be freed before the backward pass.
 */
final class Penalties {

	private Penalties() {}

	/**
	 * Repulsion of a palette: the mean over pairs of colours of {@code exp(−d²/σ²)}, d their RGB distance. It is 1
	 * for equal colours and vanishes beyond about 2σ, so it only pushes apart colours that nearly coincide. No square
	 * root is taken, so equal colours give a zero (not NaN) gradient. {@code colors} is [K, 3], K ≥ 2.
	 */
	static NDArray separation(NDArray colors, float sigma) {
		long k = colors.getShape().get(0);
		NDArray d2 = colors.expandDims(1).sub(colors.expandDims(0)).square().sum(new int[] { 2 });
		// the diagonal contributes exactly k ones; drop them and average over ordered pairs
		NDArray sum = d2.mul(Scalars.of(d2, -1f / (sigma * sigma))).exp().sum();
		return sum.sub(Scalars.of(sum, k)).mul(Scalars.of(sum, 1f / (k * (k - 1))));
	}

	/**
	 * Total variation of images [B, 3, N, N], N ≥ 2: the mean squared difference between horizontal and vertical
	 * neighbours (the smooth, quadratic form, whose gradient never jumps).
	 */
	static NDArray smoothness(NDArray images) {
		NDArray dy = images.get(":, :, 1:, :").sub(images.get(":, :, :-1, :"));
		NDArray dx = images.get(":, :, :, 1:").sub(images.get(":, :, :, :-1"));
		NDArray sum = dy.square().mean().add(dx.square().mean());
		return sum.mul(Scalars.of(sum, 0.5f));
	}
}
