package sc.fiji.clip.color;

/**
 * Bilinear resizing of a small square image to a larger one as two matrix products, {@code out = R · X · Rᵀ} per
 * channel, with {@code R} [out, in] built once. The weights are PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)}: output pixel centres map to {@code (i + 0.5)·in/out − 0.5}, clamped to the edge. Being a
 * matrix product it is differentiable, so the optimiser sees exactly what the encoder sees.
 */
final class Upsampler {

	private final int in, out;
	private final float[] matrix;

	Upsampler(int in, int out) {
		if (in < 1 || out < in) throw new IllegalArgumentException("Cannot upsample " + in + " to " + out);
		this.in = in;
		this.out = out;
		matrix = new float[out * in];
		double scale = (double) in / out;
		for (int i = 0; i < out; i++) {
			double src = Math.max(0, (i + 0.5) * scale - 0.5);
			int i0 = Math.min((int) Math.floor(src), in - 1);
			int i1 = Math.min(i0 + 1, in - 1);
			double w1 = src - i0;
			matrix[i * in + i0] += (float) (1 - w1);
			matrix[i * in + i1] += (float) w1;
		}
	}

	/** The matrix R [out, in], row-major. */
	float[] matrix() {
		return matrix.clone();
	}

	/** Its transpose [in, out], row-major. */
	float[] transposed() {
		float[] t = new float[in * out];
		for (int i = 0; i < out; i++) {
			for (int j = 0; j < in; j++) t[j * out + i] = matrix[i * in + j];
		}
		return t;
	}

	int in() {
		return in;
	}

	int out() {
		return out;
	}

	/** Resizes planar images [planes, in, in] to [planes, out, out] in Java (for swatches). */
	float[] apply(float[] planes) {
		int count = planes.length / (in * in);
		float[] result = new float[count * out * out];
		float[] tmp = new float[out * in];
		for (int p = 0; p < count; p++) {
			int src = p * in * in, dst = p * out * out;
			for (int y = 0; y < out; y++) {
				for (int x = 0; x < in; x++) {
					float sum = 0;
					for (int k = 0; k < in; k++) sum += matrix[y * in + k] * planes[src + k * in + x];
					tmp[y * in + x] = sum;
				}
			}
			for (int y = 0; y < out; y++) {
				for (int x = 0; x < out; x++) {
					float sum = 0;
					for (int k = 0; k < in; k++) sum += tmp[y * in + k] * matrix[x * in + k];
					result[dst + y * out + x] = sum;
				}
			}
		}
		return result;
	}
}
