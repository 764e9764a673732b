package sc.fiji.clip.label;

import ij.ImagePlus;
import java.nio.file.Path;
import java.util.Arrays;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.data.ImageReader;
import sc.fiji.clip.image.ImageFiles;
import sc.fiji.clip.image.RgbImage;

/** One plane of an image file, read as the {@link EncodingPipeline} reads it: for thumbnails of search hits, say. */
public final class PlaneFiles {

	private PlaneFiles() {}

	/**
	 * Plane (c, z, t) of {@code file} as RGB, as displayed; c = 0 is the composite of the channels.
	 *
	 * @throws ImageReadException if the file cannot be read
	 * @throws ClipException if it has no such plane
	 */
	public static RgbImage read(Path file, int c, int z, int t) {
		ImageHeader header = ImageReader.inspect(file);
		if (header.format() != ImageHeader.Format.TIFF && header.planes() == 1) return ImageFiles.readRgb(file);
		ImagePlus imp = ImageReader.open(file);
		try {
			PlaneReader reader = new PlaneReader(imp, c == 0);
			int[] wanted = { c, z, t };
			for (int i = 0; i < reader.count(); i++) {
				if (Arrays.equals(reader.position(i), wanted)) return reader.rgb(i);
			}
			throw new ClipException(file + " has no plane c=" + c + " z=" + z + " t=" + t + " (it has changed since it was indexed?)");
		} finally {
			imp.flush();
		}
	}
}
