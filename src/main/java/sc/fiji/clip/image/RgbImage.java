package sc.fiji.clip.image;

/**
 * An 8-bit RGB image stored row-major and interleaved ({@code R,G,B} per pixel, {@code [height, width, 3]}), which is
 * what Pillow calls mode {@code "RGB"}: the common currency between ImageJ conversion, Pillow-exact resizing and
 * CLIP normalisation.
 * <p>
 * The pixel array is shared, not copied, so that converters and resamplers can fill it without extra allocation.
 */
public final class RgbImage {

	private final int width;
	private final int height;
	private final byte[] data;

	/** Wraps {@code data} (length {@code width * height * 3}, interleaved RGB) without copying it. */
	public RgbImage(int width, int height, byte[] data) {
		if (width <= 0 || height <= 0) {
			throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
		}
		if (data.length != (long) width * height * 3) {
			throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for " + width + "x" + height + " RGB, got " + data.length);
		}
		this.width = width;
		this.height = height;
		this.data = data;
	}

	/** A black image. */
	public RgbImage(int width, int height) {
		this(width, height, new byte[checkedLength(width, height)]);
	}

	private static int checkedLength(int width, int height) {
		long n = (long) width * height * 3;
		if (width <= 0 || height <= 0 || n > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("unsupported image size: " + width + "x" + height);
		}
		return (int) n;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** The backing array, interleaved RGB, row-major; changes to it change this image. */
	public byte[] data() {
		return data;
	}

	/** Sample of channel {@code c} (0 red, 1 green, 2 blue) at {@code (x, y)}, in {@code [0, 255]}. */
	public int get(int x, int y, int c) {
		return data[(y * width + x) * 3 + c] & 0xff;
	}

	/** Sets channel {@code c} at {@code (x, y)} to the low 8 bits of {@code value}. */
	public void set(int x, int y, int c, int value) {
		data[(y * width + x) * 3 + c] = (byte) value;
	}

	/** The pixels packed as opaque ARGB ints ({@code 0xffRRGGBB}), row by row, as AWT and ImgLib2's ARGBType take them. */
	public int[] toArgb() {
		int[] packed = new int[width * height];
		for (int i = 0; i < packed.length; i++) {
			packed[i] = 0xff000000 | (data[3 * i] & 0xff) << 16 | (data[3 * i + 1] & 0xff) << 8 | (data[3 * i + 2] & 0xff);
		}
		return packed;
	}

	/** An independent copy. */
	public RgbImage copy() {
		return new RgbImage(width, height, data.clone());
	}

	/** Copy of the rectangle at {@code (x, y)} of size {@code w x h}, which must lie inside this image. */
	public RgbImage crop(int x, int y, int w, int h) {
		if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
			throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
		}
		byte[] out = new byte[w * h * 3];
		for (int row = 0; row < h; row++) {
			System.arraycopy(data, ((y + row) * width + x) * 3, out, row * w * 3, w * 3);
		}
		return new RgbImage(w, h, out);
	}

	@Override
	public String toString() {
		return "RgbImage[" + width + "x" + height + "]";
	}
}
