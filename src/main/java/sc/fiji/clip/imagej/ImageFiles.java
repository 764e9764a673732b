package sc.fiji.clip.imagej;

import ij.ImagePlus;
import java.io.IOException;
import java.nio.file.Path;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.imagej.ImageReader;

/**
 * Reads an image file as the RGB plane CLIP sees, the same way for training and labelling: PNG, JPEG, BMP and GIF
 * as Pillow's {@code convert("RGB")} does (what pretrained CLIP models were trained with; alpha dropped, not
 * composited), TIFF through ImageJ (16/32-bit through the display range, the first plane of a stack). Every file is
 * checked by {@link ImageReader#inspect} first, so corrupt or absurdly large files fail fast with a clear reason.
 */
public final class ImageFiles {

	private ImageFiles() {}

	/**
	 * The file's first plane as RGB.
	 *
	 * @throws ImageReadException naming the file and the reason when it cannot be read
	 */
	public static RgbImage readRgb(Path file) {
		ImageHeader header = ImageReader.inspect(file);
		if (header.format() != ImageHeader.Format.TIFF) {
			try {
				return RgbConversion.read(file);
			} catch (IOException | RuntimeException e) {
				// fall through to ImageJ, which reads some files ImageIO does not
			}
		}
		ImagePlus imp = ImageReader.open(file);
		try {
			return RgbConversion.fromImagePlus(imp, 1, 1);
		} finally {
			imp.flush();
		}
	}
}
