package sc.fiji.clip.image;

import java.util.Arrays;

/**
 * Pillow's bicubic resize of 8-bit RGB images ({@code Image.resize(size, Image.BICUBIC)}, {@code reducing_gap=None}),
 * reproduced bit for bit, because CLIP checkpoints were trained and are evaluated on images resized this way and a
 * generic bicubic lands several grey levels away.
 * <p>
 * Like Pillow's {@code ImagingResample}: the bicubic kernel has {@code a = -0.5}; when shrinking, its support is
 * stretched by the scale factor (antialiasing); each output pixel's weights are normalised to sum to one and
 * quantised to 22-bit fixed point; the horizontal pass runs first, then the vertical one, each rounding and clamping
 * to 8 bits, and a pass is skipped when its dimension is unchanged.
 */
public final class PilResize {

	private static final int PRECISION_BITS = 32 - 8 - 2;
	private static final double BICUBIC_SUPPORT = 2.0;

	private PilResize() {}

	/** Resizes the whole image to {@code outWidth x outHeight}. */
	public static RgbImage resize(RgbImage src, int outWidth, int outHeight) {
		return resize(src, 0, 0, src.width(), src.height(), outWidth, outHeight);
	}

	/**
	 * Resizes the rectangle at {@code (x, y)} of size {@code w x h} to {@code outWidth x outHeight}, exactly as if it
	 * had been cropped out first (the filter never reads pixels outside the rectangle).
	 */
	public static RgbImage resize(RgbImage src, int x, int y, int w, int h, int outWidth, int outHeight) {
		byte[] out = new byte[checkedSize(outWidth, outHeight)];
		resizeWindow(src, x, y, w, h, outWidth, outHeight, 0, 0, outWidth, outHeight, out);
		return new RgbImage(outWidth, outHeight, out);
	}

	private static int checkedSize(int w, int h) {
		if (w <= 0 || h <= 0 || (long) w * h * 3 > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("unsupported output size " + w + "x" + h);
		}
		return w * h * 3;
	}

	/**
	 * Computes only the window {@code (winX, winY, winW, winH)} of the {@code outWidth x outHeight} resize of the
	 * source rectangle {@code (x, y, w, h)} into {@code dst} (interleaved RGB, {@code winW * winH * 3} bytes). Every
	 * output pixel depends only on its own weights, so the window is identical to cropping the full resize, at a
	 * fraction of the cost when the resized image is then centre-cropped.
	 */
	static void resizeWindow(RgbImage src, int x, int y, int w, int h, int outWidth, int outHeight,
			int winX, int winY, int winW, int winH, byte[] dst) {
		if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > src.width() || y + h > src.height()) {
			throw new IllegalArgumentException("region " + w + "x" + h + "+" + x + "+" + y + " outside " + src);
		}
		checkedSize(outWidth, outHeight);
		if (winX < 0 || winY < 0 || winW <= 0 || winH <= 0 || winX + winW > outWidth || winY + winH > outHeight) {
			throw new IllegalArgumentException("window outside the " + outWidth + "x" + outHeight + " output");
		}
		if (dst.length < winW * winH * 3) {
			throw new IllegalArgumentException("destination too small");
		}
		boolean horizontal = outWidth != w;
		boolean vertical = outHeight != h;

		Coefficients cv = vertical ? new Coefficients(h, outHeight) : null;
		// rows of the region that the vertical pass reads (all window rows when it is skipped)
		int rowFirst = vertical ? cv.start[winY] : winY;
		int rowEnd = vertical ? cv.start[winY + winH - 1] + cv.length[winY + winH - 1] : winY + winH;

		// the vertical pass reads `mid` at mid[midOffset + row * midStride + col * 3], row relative to rowFirst
		byte[] mid;
		int midOffset;
		int midStride;
		if (horizontal) {
			Coefficients ch = new Coefficients(w, outWidth);
			int rows = rowEnd - rowFirst;
			mid = vertical ? new byte[rows * winW * 3] : dst;
			midOffset = 0;
			midStride = winW * 3;
			horizontalPass(src.data(), src.width() * 3, (y + rowFirst) * src.width() * 3 + x * 3, rows, ch, winX, winW,
				mid, midStride);
		} else {
			mid = src.data();
			midStride = src.width() * 3;
			midOffset = (y + rowFirst) * midStride + (x + winX) * 3;
		}
		if (vertical) {
			verticalPass(mid, midOffset, midStride, rowFirst, cv, winY, winH, winW, dst);
		} else if (!horizontal) {
			for (int r = 0; r < winH; r++) {
				System.arraycopy(mid, midOffset + r * midStride, dst, r * winW * 3, winW * 3);
			}
		}
	}

	private static void horizontalPass(byte[] in, int inStride, int inOffset, int rows, Coefficients c, int winX,
			int winW, byte[] out, int outStride) {
		int ksize = c.ksize;
		int[] kk = c.weights;
		for (int r = 0; r < rows; r++) {
			int rowBase = inOffset + r * inStride;
			int o = r * outStride;
			for (int xx = winX; xx < winX + winW; xx++) {
				int kBase = xx * ksize;
				int n = c.length[xx];
				int p = rowBase + c.start[xx] * 3;
				int s0 = 1 << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
				for (int i = 0; i < n; i++, p += 3) {
					int k = kk[kBase + i];
					s0 += (in[p] & 0xff) * k;
					s1 += (in[p + 1] & 0xff) * k;
					s2 += (in[p + 2] & 0xff) * k;
				}
				out[o++] = clip8(s0);
				out[o++] = clip8(s1);
				out[o++] = clip8(s2);
			}
		}
	}

	private static void verticalPass(byte[] in, int inOffset, int inStride, int rowFirst, Coefficients c, int winY,
			int winH, int winW, byte[] out) {
		int ksize = c.ksize;
		int[] kk = c.weights;
		int n3 = winW * 3;
		int[] acc = new int[n3];
		for (int yy = winY, o = 0; yy < winY + winH; yy++, o += n3) {
			Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
			int kBase = yy * ksize;
			int top = inOffset + (c.start[yy] - rowFirst) * inStride;
			for (int i = 0, n = c.length[yy]; i < n; i++) {
				int k = kk[kBase + i];
				int p = top + i * inStride;
				for (int col = 0; col < n3; col++) {
					acc[col] += (in[p + col] & 0xff) * k;
				}
			}
			for (int col = 0; col < n3; col++) {
				out[o + col] = clip8(acc[col]);
			}
		}
	}

	private static byte clip8(int acc) {
		int v = acc >> PRECISION_BITS;
		return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
	}

	static double bicubic(double x) {
		final double a = -0.5;
		if (x < 0.0) x = -x;
		if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
		if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
		return 0.0;
	}

	/** Fixed-point weights of every output position along one axis, as Pillow's {@code precompute_coeffs}. */
	static final class Coefficients {
		final int ksize;
		/** first input index read by each output position */
		final int[] start;
		/** number of input indices read by each output position */
		final int[] length;
		/** {@code ksize} weights per output position, 22-bit fixed point */
		final int[] weights;

		Coefficients(int inSize, int outSize) {
			double scale = (double) inSize / outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = BICUBIC_SUPPORT * filterScale;
			ksize = (int) Math.ceil(support) * 2 + 1;
			start = new int[outSize];
			length = new int[outSize];
			weights = new int[outSize * ksize];
			double[] k = new double[ksize];
			double ss = 1.0 / filterScale;
			for (int xx = 0; xx < outSize; xx++) {
				double center = (xx + 0.5) * scale;
				int xmin = Math.max((int) (center - support + 0.5), 0);
				int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
				double ww = 0.0;
				for (int i = 0; i < xmax; i++) {
					double wi = bicubic((i + xmin - center + 0.5) * ss);
					k[i] = wi;
					ww += wi;
				}
				for (int i = 0; i < xmax; i++) {
					double v = ww != 0.0 ? k[i] / ww : k[i];
					weights[xx * ksize + i] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
						: (int) (0.5 + v * (1 << PRECISION_BITS));
				}
				start[xx] = xmin;
				length[xx] = xmax;
			}
		}
	}
}
