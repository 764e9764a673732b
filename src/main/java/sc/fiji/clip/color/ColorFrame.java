package sc.fiji.clip.color;

import java.util.Arrays;
import sc.fiji.clip.ClipException;

/**
 * The state of one prompt's colours at one step: {@code count} images of {@code size}×{@code size} RGB pixels in
 * [0, 1] (size 1: solid colours) and each one's cosine similarity to the prompt.
 */
public final class ColorFrame {

	private final int step, count, size;
	private final float[] values;
	private final double[] similarities;

	/** {@code values} holds {@code count} planar images, [count, 3, size, size]; both arrays are copied. */
	public ColorFrame(int step, int count, int size, float[] values, double[] similarities) {
		if (values.length != count * 3 * size * size || similarities.length != count) {
			throw new IllegalArgumentException("Frame of " + count + " images of " + size + "×" + size + " got "
				+ values.length + " values and " + similarities.length + " similarities");
		}
		this.step = step;
		this.count = count;
		this.size = size;
		this.values = values.clone();
		this.similarities = similarities.clone();
	}

	public int step() {
		return step;
	}

	/** Number of colours (palette size). */
	public int count() {
		return count;
	}

	/** Side of each image in pixels (1 for a solid colour). */
	public int size() {
		return size;
	}

	/** Image {@code index} as planar floats [3, size, size] in [0, 1] (a copy). */
	public float[] pixels(int index) {
		int n = 3 * size * size;
		return Arrays.copyOfRange(values, index * n, (index + 1) * n);
	}

	/** Colour {@code index}, the mean over the image's pixels. */
	public Rgb color(int index) {
		int plane = size * size, base = index * 3 * plane;
		double[] mean = new double[3];
		for (int c = 0; c < 3; c++) {
			double sum = 0;
			for (int i = 0; i < plane; i++) sum += values[base + c * plane + i];
			mean[c] = Math.min(1, Math.max(0, sum / plane));
		}
		return new Rgb(mean[0], mean[1], mean[2]);
	}

	/** Cosine similarity of image {@code index} to the prompt. */
	public double similarity(int index) {
		return similarities[index];
	}

	/** Mean similarity over the colours; what early stopping and the choice of the best step look at. */
	public double meanSimilarity() {
		double sum = 0;
		for (double s : similarities) sum += s;
		return sum / count;
	}

	/** This frame with its images in the order {@code order} (new index i holds old image order[i]). */
	ColorFrame reorder(int[] order) {
		int n = 3 * size * size;
		float[] v = new float[values.length];
		double[] s = new double[count];
		for (int i = 0; i < count; i++) {
			System.arraycopy(values, order[i] * n, v, i * n, n);
			s[i] = similarities[order[i]];
		}
		return new ColorFrame(step, count, size, v, s);
	}

	/**
	 * The colours side by side as packed RGB pixels, each {@code cell}×{@code cell}, row-major over a
	 * {@code cell·count} × {@code cell} image; images are upscaled bilinearly as the encoder sees them.
	 */
	public int[] swatch(int cell) {
		if (cell < size()) {
			throw new ClipException("The swatch size " + cell + " is smaller than the image size " + size() + ".");
		}
		int width = cell * count(), plane = cell * cell;
		int[] out = new int[width * cell];
		Upsampler up = size() == 1 ? null : new Upsampler(size(), cell);
		for (int k = 0; k < count(); k++) {
			float[] px = up == null ? null : up.apply(pixels(k));
			int solid = up == null ? color(k).packed() : 0;
			for (int y = 0; y < cell; y++) {
				for (int x = 0; x < cell; x++) {
					out[y * width + k * cell + x] = up == null ? solid
						: byteOf(px[y * cell + x]) << 16 | byteOf(px[plane + y * cell + x]) << 8 | byteOf(px[2 * plane + y * cell + x]);
				}
			}
		}
		return out;
	}

	private static int byteOf(float v) {
		return Math.max(0, Math.min(255, Math.round(v * 255)));
	}
}
