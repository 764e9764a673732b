package sc.fiji.clip.imagej;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.awt.Image;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import sc.fiji.clip.image.RgbImage;

/**
 * Converts ImageJ planes and image files to the 8-bit {@link RgbImage} CLIP preprocessing starts from.
 * <p>
 * ImageJ planes become what the user sees, with one exception: RGB as is; 8-bit through the LUT but not the display
 * range, so the default grey LUT keeps the raw values as Pillow does (never through AWT's {@code getRGB}, which maps
 * grey through a linear colour space); 16- and 32-bit scaled from the display range to {@code 0..255}, then through
 * the LUT; composites as ImageJ renders them.
 * <p>
 * Files are read as Pillow's {@code Image.open(f).convert("RGB")} reads them, which is what HF/open_clip pipelines
 * see: alpha is dropped, not composited. This matters because ImageJ's PNG opener draws images with alpha onto a
 * white background ({@code Opener.openUsingImageIO}), so {@code IJ.openImage} of an RGBA PNG does not give the
 * pixels a Python pipeline uses; use {@link #read} for files.
 */
public final class RgbConversion {

	private RgbConversion() {}

	/** One plane with its own LUT and display range (see the class description). */
	public static RgbImage fromProcessor(ImageProcessor ip) {
		int w = ip.getWidth(), h = ip.getHeight();
		byte[] out = new byte[w * h * 3];
		if (ip instanceof ColorProcessor) {
			int[] px = (int[]) ip.getPixels();
			for (int i = 0, o = 0; i < px.length; i++) {
				int p = px[i];
				out[o++] = (byte) (p >> 16);
				out[o++] = (byte) (p >> 8);
				out[o++] = (byte) p;
			}
			return new RgbImage(w, h, out);
		}
		byte[] indices;
		if (ip instanceof ByteProcessor) {
			indices = (byte[]) ip.getPixels();
		} else {
			indices = new byte[w * h];
			double min = ip.getMin(), max = ip.getMax();
			for (int i = 0; i < indices.length; i++) {
				indices[i] = (byte) scaleToByte(ip.getf(i), min, max);
			}
		}
		byte[][] lut = lut(ip.getColorModel());
		for (int i = 0, o = 0; i < indices.length; i++) {
			int v = indices[i] & 0xff;
			out[o++] = lut[0][v];
			out[o++] = lut[1][v];
			out[o++] = lut[2][v];
		}
		return new RgbImage(w, h, out);
	}

	/**
	 * {@code min -> 0}, {@code max -> 255}, linear, rounded half up and clamped; NaN becomes 0 and infinities clamp.
	 * With {@code max <= min}, values below {@code min} become 0 and the others 255.
	 */
	static int scaleToByte(double v, double min, double max) {
		if (Double.isNaN(v)) return 0;
		double s = max > min ? Math.floor((v - min) * 255.0 / (max - min) + 0.5) : v < min ? 0 : 255;
		return s <= 0 ? 0 : s >= 255 ? 255 : (int) s;
	}

	/** {r, g, b} 256-entry tables of a colour model; entries past a shorter palette are black. */
	private static byte[][] lut(ColorModel cm) {
		byte[][] lut = new byte[3][256];
		if (cm instanceof IndexColorModel) {
			IndexColorModel icm = (IndexColorModel) cm;
			int n = Math.min(icm.getMapSize(), 256);
			for (int i = 0; i < n; i++) {
				lut[0][i] = (byte) icm.getRed(i);
				lut[1][i] = (byte) icm.getGreen(i);
				lut[2][i] = (byte) icm.getBlue(i);
			}
		} else {
			for (int i = 0; i < 256; i++) lut[0][i] = lut[1][i] = lut[2][i] = (byte) i;
		}
		return lut;
	}

	/** The plane at the image's current position, as displayed (composites rendered). */
	public static RgbImage fromImagePlus(ImagePlus imp) {
		return fromImagePlus(imp, imp.getZ(), imp.getT());
	}

	/**
	 * The plane at slice {@code z} and frame {@code t} (1-based) as displayed: a {@link CompositeImage} is rendered as
	 * ImageJ shows it (in composite mode all active channels blended with their LUTs and display ranges; otherwise
	 * the current channel); other images give the current channel's plane through the image's LUT and display range.
	 * The image's position is restored afterwards.
	 */
	public static RgbImage fromImagePlus(ImagePlus imp, int z, int t) {
		if (z < 1 || z > imp.getNSlices() || t < 1 || t > imp.getNFrames()) {
			throw new IllegalArgumentException("position z=" + z + ", t=" + t + " outside " + imp.getNSlices() + " slices, " + imp.getNFrames() + " frames");
		}
		int c = imp.getC();
		if (imp instanceof CompositeImage && imp.isComposite()) {
			CompositeImage ci = (CompositeImage) imp;
			int z0 = imp.getZ(), t0 = imp.getT();
			synchronized (ci) {
				try {
					ci.setPositionWithoutUpdate(c, z, t);
					ci.updateImage();
					Image rendered = ci.getImage();
					return fromProcessor(new ColorProcessor(rendered));
				} finally {
					ci.setPositionWithoutUpdate(c, z0, t0);
				}
			}
		}
		int index = imp.getStackIndex(c, z, t);
		ImageProcessor current = imp.getProcessor();
		if (index == imp.getCurrentSlice()) return fromProcessor(current);
		ImageProcessor ip = imp.getStack().getProcessor(index);
		if (!(ip instanceof ColorProcessor)) {
			ip.setColorModel(current.getColorModel());
			ip.setMinAndMax(current.getMin(), current.getMax());
		}
		return fromProcessor(ip);
	}

	/** Reads an image file as Pillow's {@code convert("RGB")} would (see the class description). */
	public static RgbImage read(Path file) throws IOException {
		BufferedImage bi;
		try (var in = Files.newInputStream(file)) {
			// ImageIO.read(InputStream) caches the stream in a temporary file by default: 4-5x slower on small images
			ImageInputStream stream = new MemoryCacheImageInputStream(in);
			bi = ImageIO.read(stream);
			if (bi == null) stream.close();
		}
		if (bi == null) throw new IOException("no image reader for " + file);
		return fromBufferedImage(bi);
	}

	/**
	 * Raw samples of a decoded image, as Pillow's {@code convert("RGB")}: palettes looked up, grey replicated, alpha
	 * dropped. 16-bit samples follow Pillow too: colour keeps the high byte, grey is clamped to 255. Other colour
	 * spaces (e.g. CMYK) go through AWT's sRGB conversion.
	 */
	public static RgbImage fromBufferedImage(BufferedImage bi) {
		int w = bi.getWidth(), h = bi.getHeight();
		byte[] out = new byte[w * h * 3];
		ColorModel cm = bi.getColorModel();
		Raster raster = bi.getRaster();
		int colorType = cm.getColorSpace().getType();
		int bands = cm.getNumColorComponents();
		int[] row = new int[w];
		if (cm instanceof IndexColorModel) {
			IndexColorModel icm = (IndexColorModel) cm;
			for (int y = 0; y < h; y++) {
				raster.getSamples(0, y, w, 1, 0, row);
				for (int x = 0, o = y * w * 3; x < w; x++) {
					int rgb = icm.getRGB(row[x]);
					out[o++] = (byte) (rgb >> 16);
					out[o++] = (byte) (rgb >> 8);
					out[o++] = (byte) rgb;
				}
			}
		} else if (colorType == ColorSpace.TYPE_RGB && bands == 3 || colorType == ColorSpace.TYPE_GRAY && bands == 1) {
			for (int c = 0; c < 3; c++) {
				int band = bands == 3 ? c : 0;
				int bits = raster.getSampleModel().getSampleSize(band);
				for (int y = 0; y < h; y++) {
					raster.getSamples(0, y, w, 1, band, row);
					for (int x = 0, o = y * w * 3 + c; x < w; x++, o += 3) {
						out[o] = (byte) toByte(row[x], bits, bands == 1);
					}
				}
			}
		} else {
			for (int y = 0; y < h; y++) {
				bi.getRGB(0, y, w, 1, row, 0, w);
				for (int x = 0, o = y * w * 3; x < w; x++) {
					int rgb = row[x];
					out[o++] = (byte) (rgb >> 16);
					out[o++] = (byte) (rgb >> 8);
					out[o++] = (byte) rgb;
				}
			}
		}
		return new RgbImage(w, h, out);
	}

	private static int toByte(int sample, int bits, boolean grey) {
		if (bits == 8) return sample;
		if (bits > 8) return grey ? Math.min(sample, 255) : sample >>> (bits - 8);
		return sample * 255 / ((1 << bits) - 1);
	}
}
