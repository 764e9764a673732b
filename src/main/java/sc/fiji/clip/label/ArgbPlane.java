package sc.fiji.clip.label;

import java.util.function.Supplier;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import sc.fiji.clip.image.RgbImage;

/**
 * One plane of an image as displayed, as an ARGB ImgLib2 image with its position {c, z, t}: what tile maps and ROI
 * labelling read. Any {@code RandomAccessibleInterval<ARGBType>} will do, a virtual or procedural one larger than the
 * heap included; {@link #lazy} reads a plane only when it is labelled (the ImageJ adapters give an open image's planes
 * so, and a virtual stack stays virtual).
 */
public final class ArgbPlane {

	private final Supplier<RandomAccessibleInterval<ARGBType>> pixels;
	private final long width, height;
	private final int[] czt;

	public ArgbPlane(RandomAccessibleInterval<ARGBType> pixels, int c, int z, int t) {
		this(() -> pixels, check(pixels).dimension(0), pixels.dimension(1), c, z, t);
	}

	private ArgbPlane(Supplier<RandomAccessibleInterval<ARGBType>> pixels, long width, long height, int c, int z, int t) {
		this.pixels = pixels;
		this.width = width;
		this.height = height;
		this.czt = new int[] { c, z, t };
	}

	private static RandomAccessibleInterval<ARGBType> check(RandomAccessibleInterval<ARGBType> pixels) {
		if (pixels.numDimensions() != 2) {
			throw new IllegalArgumentException("a plane is 2D, not " + pixels.numDimensions() + "D");
		}
		return pixels;
	}

	/** A plane read by {@code pixels} each time {@link #pixels()} is called, of the given size. */
	public static ArgbPlane lazy(Supplier<RandomAccessibleInterval<ARGBType>> pixels, long width, long height, int c,
		int z, int t)
	{
		return new ArgbPlane(pixels, width, height, c, z, t);
	}

	/**
	 * A grey view of a real-valued plane, as ImageJ displays a 32-bit image with display range [{@code min},
	 * {@code max}]: {@code (int) ((v - min) * 255 / (max - min) + 0.5)}, clamped to 0-255 (ImageJ's
	 * {@code FloatProcessor.create8BitImage}). Lazy: nothing is copied.
	 */
	public static <T extends RealType<T>> ArgbPlane grey(RandomAccessibleInterval<T> plane, double min, double max, int c,
		int z, int t)
	{
		double scale = max > min ? 255.0 / (max - min) : 1.0;
		RandomAccessibleInterval<ARGBType> view = Converters.convert(plane, (T in, ARGBType out) -> {
			int v = (int) ((in.getRealDouble() - min) * scale + 0.5);
			v = v < 0 ? 0 : v > 255 ? 255 : v;
			out.set(0xff000000 | v << 16 | v << 8 | v);
		}, new ARGBType());
		return new ArgbPlane(view, c, z, t);
	}

	/** The pixels of an ARGB view as 8-bit RGB, read row by row. */
	public static RgbImage rgb(RandomAccessibleInterval<ARGBType> pixels) {
		int w = (int) pixels.dimension(0), h = (int) pixels.dimension(1);
		byte[] data = new byte[w * h * 3];
		Cursor<ARGBType> c = Views.flatIterable(pixels).cursor();
		for (int i = 0; c.hasNext(); i += 3) {
			int v = c.next().get();
			data[i] = (byte) (v >> 16);
			data[i + 1] = (byte) (v >> 8);
			data[i + 2] = (byte) v;
		}
		return new RgbImage(w, h, data);
	}

	/** An ARGB ImgLib2 image of {@code rgb}'s pixels. */
	public static RandomAccessibleInterval<ARGBType> argb(RgbImage rgb) {
		return ArrayImgs.argbs(rgb.toArgb(), rgb.width(), rgb.height());
	}

	/** The pixels; for a {@link #lazy} plane, read now (call once per use and let go of them after). */
	public RandomAccessibleInterval<ARGBType> pixels() {
		return pixels.get();
	}

	/** Width in pixels, known without reading the plane. */
	public long width() {
		return width;
	}

	/** Height in pixels, known without reading the plane. */
	public long height() {
		return height;
	}

	/** {c, z, t} (1-based; c = 0 for a composite). */
	public int[] position() {
		return czt.clone();
	}
}
