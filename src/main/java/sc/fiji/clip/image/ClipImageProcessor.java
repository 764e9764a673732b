package sc.fiji.clip.image;

import java.nio.FloatBuffer;

/**
 * Turns an RGB image into the {@code float32 [3, height, width]} tensor a CLIP vision encoder reads, exactly as
 * transformers' {@code CLIPImageProcessor} does on a PIL image: resize the shortest edge with Pillow's bicubic on
 * 8-bit data, centre-crop (zero-padding images smaller than the crop), rescale by {@code 1/255} in double precision,
 * then {@code (x - mean) / std} in single precision. Matching it bit for bit keeps embeddings identical to Python's.
 * <p>
 * Instances are immutable and thread-safe.
 */
public final class ClipImageProcessor {

	private final ImagePreprocessing settings;
	/** {@code [channel][uint8 value]}: the rescaled, normalised float of every possible sample */
	private final float[][] table = new float[3][256];

	public ClipImageProcessor(ImagePreprocessing settings) {
		this.settings = settings;
		double[] mean = settings.mean();
		double[] std = settings.std();
		for (int c = 0; c < 3; c++) {
			float m = (float) mean[c];
			float s = (float) std[c];
			for (int v = 0; v < 256; v++) {
				float x = settings.doRescale() ? (float) (v * settings.rescaleFactor()) : v;
				table[c][v] = settings.doNormalize() ? (x - m) / s : x;
			}
		}
	}

	public ImagePreprocessing settings() {
		return settings;
	}

	/**
	 * Size {@code {height, width}} an image of {@code width x height} is resized to (before cropping): the shorter side
	 * becomes the shortest edge and the longer one {@code (int) (shortestEdge * long / short)}, truncated as in
	 * transformers.
	 */
	public int[] resizedSize(int width, int height) {
		if (!settings.doResize()) return new int[] {height, width};
		int target = settings.shortestEdge();
		if (target <= 0) return new int[] {settings.resizeHeight(), settings.resizeWidth()};
		int shorter = Math.min(width, height);
		int longer = Math.max(width, height);
		int newLonger = (int) ((double) ((long) target * longer) / shorter);
		return width <= height ? new int[] {newLonger, target} : new int[] {target, newLonger};
	}

	/** Size {@code {height, width}} of the output for an input of {@code width x height}. */
	public int[] outputSize(int width, int height) {
		return settings.doCenterCrop() ? new int[] {settings.cropHeight(), settings.cropWidth()}
			: resizedSize(width, height);
	}

	/** Number of floats {@link #processInto} writes for {@code image}. */
	public int outputLength(RgbImage image) {
		int[] hw = outputSize(image.width(), image.height());
		return 3 * hw[0] * hw[1];
	}

	/** Normalised {@code [3, height, width]} pixel values, channel-major, as HF's {@code pixel_values[0]}. */
	public float[] process(RgbImage image) {
		float[] out = new float[outputLength(image)];
		processInto(image, out, 0);
		return out;
	}

	/** Writes {@link #process}'s values into {@code dst} from {@code offset}, e.g. one image of a batch. */
	public void processInto(RgbImage image, float[] dst, int offset) {
		processInto(image, FloatBuffer.wrap(dst), offset);
	}

	/**
	 * As {@link #processInto(RgbImage, float[], int)} into a buffer, e.g. a batch in native memory that the engine
	 * reads without a copy; absolute writes, so threads may fill disjoint parts of one buffer.
	 */
	public void processInto(RgbImage image, FloatBuffer dst, int offset) {
		Crop crop = resizeAndCropWindow(image);
		normalize(crop.window, crop.top, crop.left, crop.height, crop.width, false, false, dst, offset);
	}

	/**
	 * The resized and centre-cropped 8-bit image before rescaling and normalisation (HF's uint8 array just before
	 * {@code rescale}), to inspect or compare preprocessing.
	 */
	public RgbImage resizeAndCrop(RgbImage image) {
		Crop crop = resizeAndCropWindow(image);
		RgbImage out = new RgbImage(crop.width, crop.height);
		byte[] o = out.data();
		int ww = crop.window.width();
		int wh = crop.window.height();
		for (int i = 0; i < crop.height; i++) {
			int y = crop.top + i;
			if (y < 0 || y >= wh) continue;
			for (int j = 0; j < crop.width; j++) {
				int x = crop.left + j;
				if (x < 0 || x >= ww) continue;
				System.arraycopy(crop.window.data(), (y * ww + x) * 3, o, (i * crop.width + j) * 3, 3);
			}
		}
		return out;
	}

	/**
	 * Rescales and normalises an image that already has the output size, e.g. one augmented elsewhere, into
	 * {@code dst} from {@code offset} as {@code [3, height, width]}.
	 */
	public void normalizeInto(RgbImage image, float[] dst, int offset) {
		normalizeInto(image, false, false, dst, offset);
	}

	/** As {@link #normalizeInto(RgbImage, float[], int)}, mirrored left-right and/or top-bottom if asked. */
	public void normalizeInto(RgbImage image, boolean flipHorizontal, boolean flipVertical, float[] dst, int offset) {
		normalizeInto(image, flipHorizontal, flipVertical, FloatBuffer.wrap(dst), offset);
	}

	/** As {@link #normalizeInto(RgbImage, boolean, boolean, float[], int)} into a buffer (absolute writes). */
	public void normalizeInto(RgbImage image, boolean flipHorizontal, boolean flipVertical, FloatBuffer dst, int offset) {
		normalize(image, 0, 0, image.height(), image.width(), flipHorizontal, flipVertical, dst, offset);
	}

	/** Output pixel {@code (i, j)} is {@code window(top + i, left + j)}, or black (0) outside it. */
	private static final class Crop {
		final RgbImage window;
		final int top, left, height, width;

		Crop(RgbImage window, int top, int left, int height, int width) {
			this.window = window;
			this.top = top;
			this.left = left;
			this.height = height;
			this.width = width;
		}
	}

	/** Resizes only the part of the image the centre crop keeps. */
	private Crop resizeAndCropWindow(RgbImage image) {
		int[] resized = resizedSize(image.width(), image.height());
		int rh = resized[0], rw = resized[1];
		int ch = settings.doCenterCrop() ? settings.cropHeight() : rh;
		int cw = settings.doCenterCrop() ? settings.cropWidth() : rw;
		int top = Math.floorDiv(rh - ch, 2);
		int left = Math.floorDiv(rw - cw, 2);
		if (rh == image.height() && rw == image.width()) {
			return new Crop(image, top, left, ch, cw);
		}
		int y0 = Math.max(top, 0), y1 = Math.min(top + ch, rh);
		int x0 = Math.max(left, 0), x1 = Math.min(left + cw, rw);
		byte[] buffer = new byte[(y1 - y0) * (x1 - x0) * 3];
		PilResize.resizeWindow(image, 0, 0, image.width(), image.height(), rw, rh, x0, y0, x1 - x0, y1 - y0, buffer);
		return new Crop(new RgbImage(x1 - x0, y1 - y0, buffer), top - y0, left - x0, ch, cw);
	}

	/**
	 * Writes {@code [3, height, width]} normalised values of {@code src(top + i, left + j)} (black outside
	 * {@code src}), mirrored horizontally and/or vertically if asked, into {@code dst} from {@code offset}.
	 */
	void normalize(RgbImage src, int top, int left, int height, int width, boolean flipHorizontal,
			boolean flipVertical, FloatBuffer dst, int offset) {
		int plane = height * width;
		if (offset < 0 || offset + 3 * plane > dst.limit()) {
			throw new IllegalArgumentException("destination holds " + dst.limit() + " floats, need " + 3 * plane + " from " + offset);
		}
		float[] t0 = table[0], t1 = table[1], t2 = table[2];
		byte[] s = src.data();
		int sw = src.width(), sh = src.height();
		for (int i = 0; i < height; i++) {
			int y = top + i;
			int rowOut = offset + (flipVertical ? height - 1 - i : i) * width;
			boolean rowInside = y >= 0 && y < sh;
			for (int j = 0; j < width; j++) {
				int x = left + j;
				int o = rowOut + (flipHorizontal ? width - 1 - j : j);
				if (rowInside && x >= 0 && x < sw) {
					int p = (y * sw + x) * 3;
					dst.put(o, t0[s[p] & 0xff]);
					dst.put(o + plane, t1[s[p + 1] & 0xff]);
					dst.put(o + 2 * plane, t2[s[p + 2] & 0xff]);
				} else {
					dst.put(o, t0[0]);
					dst.put(o + plane, t1[0]);
					dst.put(o + 2 * plane, t2[0]);
				}
			}
		}
	}
}
