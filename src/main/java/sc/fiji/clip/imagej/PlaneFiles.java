package sc.fiji.clip.imagej;

import ij.ImagePlus;
import java.nio.file.Path;
import java.util.Arrays;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.PlaneGroup;

/**
 * The planes of an image file as the labelling pipeline reads them: single-plane PNG, JPEG, BMP and GIF files as
 * Pillow does ({@link ImageFiles#readRgb}; alpha dropped), TIFFs and multi-frame GIFs through ImageJ, plane by plane
 * as displayed.
 */
public final class PlaneFiles {

	private PlaneFiles() {}

	/**
	 * Opens {@code file}, whose header is {@code header}, for reading its planes; closing flushes ImageJ's copy.
	 *
	 * @throws ImageReadException if it cannot be read
	 */
	public static PlaneGroup.Planes open(Path file, ImageHeader header, boolean mergeChannels) {
		if (header.format() != ImageHeader.Format.TIFF && header.planes() == 1) {
			return new SinglePlane(ImageFiles.readRgb(file));
		}
		ImagePlus imp = ImageReader.open(file);
		return ImagePlanes.planes(imp, mergeChannels, imp::flush);
	}

	/**
	 * Plane (c, z, t) of {@code file} as RGB, as displayed; c = 0 is the composite of the channels.
	 *
	 * @throws ImageReadException if the file cannot be read
	 * @throws ClipException if it has no such plane
	 */
	public static RgbImage read(Path file, int c, int z, int t) {
		int[] wanted = { c, z, t };
		try (PlaneGroup.Planes planes = open(file, ImageReader.inspect(file), c == 0)) {
			for (int i = 0; i < planes.count(); i++) {
				if (Arrays.equals(planes.position(i), wanted)) return planes.rgb(i);
			}
		}
		throw new ClipException(file + " has no plane c=" + c + " z=" + z + " t=" + t + " (it has changed since it was indexed?)");
	}

	private static final class SinglePlane implements PlaneGroup.Planes {
		private final RgbImage rgb;

		SinglePlane(RgbImage rgb) {
			this.rgb = rgb;
		}

		@Override
		public int count() {
			return 1;
		}

		@Override
		public int[] position(int i) {
			return new int[] { 1, 1, 1 };
		}

		@Override
		public RgbImage rgb(int i) {
			return rgb;
		}

		@Override
		public void close() {}
	}
}
