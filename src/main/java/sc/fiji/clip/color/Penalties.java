package sc.fiji.clip.color;

import ai.djl.ndarray.NDArray;

/** The differentiable penalties that keep palettes apart and images smooth. */
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
		return d2.div(-sigma * sigma).exp().sum().sub(k).div((float) (k * (k - 1)));
	}

	/**
	 * Total variation of images [B, 3, N, N], N ≥ 2: the mean squared difference between horizontal and vertical
	 * neighbours (the smooth, quadratic form, whose gradient never jumps).
	 */
	static NDArray smoothness(NDArray images) {
		NDArray dy = images.get(":, :, 1:, :").sub(images.get(":, :, :-1, :"));
		NDArray dx = images.get(":, :, :, 1:").sub(images.get(":, :, :, :-1"));
		return dy.square().mean().add(dx.square().mean()).div(2f);
	}
}
