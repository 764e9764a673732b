package sc.fiji.clip.imagej;

import ij.ImagePlus;
import ij.VirtualStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import sc.fiji.clip.ClipException;

/**
 * An ImgLib2 image seen as an ImageJ 1 image, so that it is labelled exactly as an open image of the same pixels:
 * dimensions 0 and 1 are x and y; every further dimension is a run of planes (dimension 2 fastest), which become the
 * slices of a virtual stack read one plane at a time.
 * <p>
 * {@code UnsignedByteType} gives 8-bit planes and {@code ARGBType} RGB planes, both as they are; {@code
 * UnsignedShortType} gives 16-bit and any other real type 32-bit planes, displayed (and so labelled) over the range
 * from the smallest to the largest value of the whole image, as ImageJ's "Reset" of the display range of a stack.
 */
public final class ImgLib2Images {

	private ImgLib2Images() {}

	/** A virtual ImageJ 1 image of {@code image}'s planes titled {@code title}. */
	public static ImagePlus toImagePlus(RandomAccessibleInterval<?> image, String title) {
		if (image.numDimensions() < 2) {
			throw new ClipException("An image to label needs at least two dimensions (x, y), not " + image.numDimensions() + ".");
		}
		long width = image.dimension(0), height = image.dimension(1), planes = 1;
		for (int d = 2; d < image.numDimensions(); d++) planes *= image.dimension(d);
		if (width * height > Integer.MAX_VALUE || planes > Integer.MAX_VALUE || width * height * planes == 0) {
			throw new ClipException("An image of " + width + " x " + height + " pixels and " + planes + " planes cannot be labelled.");
		}
		Object type = image.getType();
		if (!(type instanceof ARGBType || type instanceof RealType)) {
			throw new ClipException("Cannot label pixels of type " + type.getClass().getSimpleName() + ": give real numbers or ARGB.");
		}
		PlaneStack stack = new PlaneStack(image, (int) width, (int) height, (int) planes);
		ImagePlus imp = new ImagePlus(title, stack);
		if (imp.getBitDepth() == 16 || imp.getBitDepth() == 32) {
			double[] range = range(image);
			imp.setDisplayRange(range[0], range[1]);
		}
		return imp;
	}

	/** Smallest and largest value of a real-typed image. */
	private static double[] range(RandomAccessibleInterval<?> image) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (Object v : image) {
			double x = ((RealType<?>) v).getRealDouble();
			if (x < min) min = x;
			if (x > max) max = x;
		}
		return new double[] { min, max };
	}

	/** The planes of an ImgLib2 image as a virtual stack, each copied out when asked for. */
	private static final class PlaneStack extends VirtualStack {

		private final RandomAccessibleInterval<?> image;
		private final Object type;
		private final int width, height, planes;

		PlaneStack(RandomAccessibleInterval<?> image, int width, int height, int planes) {
			super(width, height);
			this.image = image;
			this.type = image.getType();
			this.width = width;
			this.height = height;
			this.planes = planes;
			setBitDepth(type instanceof UnsignedByteType ? 8 : type instanceof ARGBType ? 24
				: type instanceof UnsignedShortType ? 16 : 32);
		}

		@Override
		public ImageProcessor getProcessor(int n) {
			if (n < 1 || n > planes) throw new IllegalArgumentException("plane " + n + " outside 1-" + planes);
			RandomAccess<?> ra = image.randomAccess();
			long rest = n - 1;
			for (int d = 2; d < image.numDimensions(); d++) {
				ra.setPosition(image.min(d) + rest % image.dimension(d), d);
				rest /= image.dimension(d);
			}
			int bits = getBitDepth();
			ImageProcessor ip = bits == 8 ? new ByteProcessor(width, height) : bits == 24 ? new ColorProcessor(width, height)
				: bits == 16 ? new ShortProcessor(width, height) : new FloatProcessor(width, height);
			Object pixels = ip.getPixels();
			for (int y = 0; y < height; y++) {
				ra.setPosition(image.min(1) + y, 1);
				for (int x = 0; x < width; x++) {
					ra.setPosition(image.min(0) + x, 0);
					Object v = ra.get();
					int i = y * width + x;
					if (bits == 8) ((byte[]) pixels)[i] = (byte) ((UnsignedByteType) v).get();
					else if (bits == 24) ((int[]) pixels)[i] = ((ARGBType) v).get();
					else if (bits == 16) ((short[]) pixels)[i] = (short) ((UnsignedShortType) v).get();
					else ((float[]) pixels)[i] = ((RealType<?>) v).getRealFloat();
				}
			}
			return ip;
		}

		@Override
		public Object getPixels(int n) {
			return getProcessor(n).getPixels();
		}

		@Override
		public int getSize() {
			return planes;
		}

		@Override
		public int size() {
			return planes;
		}

		@Override
		public String getSliceLabel(int n) {
			return null;
		}

		@Override
		public String getFileName(int n) {
			return null;
		}
	}
}
