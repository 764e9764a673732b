package sc.fiji.clip.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import java.awt.Color;
import java.util.List;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import sc.fiji.clip.tiles.LabelMap;

/**
 * Label maps as ImageJ images, to show in Fiji or save as TIFF: the label image (16-bit, value {@code i + 1} for
 * label {@code i}, a LUT of distinct colours with 0 black, the label names in the image's Info) with one slice per
 * plane, and the probabilities as a hyperstack (one channel per label, one slice per plane). At cell resolution
 * each pixel is one {@code stride x stride} cell, and the calibration says so, so measurements stay in the image's
 * units; at pixel resolution they match the image.
 */
public final class LabelMapImages {

	private LabelMapImages() {}

	/** The label images of {@code maps} (all of one grid), at cell or pixel resolution. */
	public static ImagePlus labels(String title, List<LabelMap> maps, boolean pixels, Calibration source) {
		LabelMap first = maps.get(0);
		ImageStack stack = null;
		for (LabelMap m : maps) {
			RandomAccessibleInterval<? extends RealType<?>> img = pixels ? m.atPixels(m.labelImage()) : m.labelImage();
			ShortProcessor sp = new ShortProcessor((int) img.dimension(0), (int) img.dimension(1));
			copy(img, (short[]) sp.getPixels());
			if (stack == null) stack = new ImageStack(sp.getWidth(), sp.getHeight());
			stack.addSlice(plane(m), sp);
		}
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setLut(lut());
		imp.setDisplayRange(0, 255);
		StringBuilder info = new StringBuilder("CLIP label map: value = label\n0 = none\n");
		for (int l = 0; l < first.labels().size(); l++) info.append(l + 1).append(" = ").append(first.labels().get(l)).append('\n');
		info.append("tile ").append(first.grid().size()).append(" px, stride ").append(first.grid().stride()).append(" px\n");
		imp.setProperty("Info", info.toString());
		imp.setCalibration(calibration(source, pixels ? 1 : first.grid().stride()));
		return imp;
	}

	/** The probabilities of {@code maps}: channels = labels, slices = planes. */
	public static ImagePlus probabilities(String title, List<LabelMap> maps, boolean pixels, Calibration source) {
		LabelMap first = maps.get(0);
		int n = first.labels().size();
		ImageStack stack = null;
		for (LabelMap m : maps) {
			RandomAccessibleInterval<? extends RealType<?>> all = pixels ? m.atPixels(m.probabilities()) : m.probabilities();
			for (int l = 0; l < n; l++) {
				RandomAccessibleInterval<? extends RealType<?>> one = Views.hyperSlice(all, 2, l);
				FloatProcessor fp = new FloatProcessor((int) one.dimension(0), (int) one.dimension(1));
				copy(one, (float[]) fp.getPixels());
				if (stack == null) stack = new ImageStack(fp.getWidth(), fp.getHeight());
				stack.addSlice(first.labels().get(l) + " " + plane(m), fp);
			}
		}
		ImagePlus imp = new ImagePlus(title, stack);
		imp.setDimensions(n, maps.size(), 1);
		imp.setDisplayRange(0, 1);
		imp.setCalibration(calibration(source, pixels ? 1 : first.grid().stride()));
		return imp;
	}

	/**
	 * Saves each image as {@code TITLE.tif} (spaces as dashes) in {@code folder}, made if missing, each file replaced
	 * only when complete; returns the files.
	 *
	 * @param what names the option or input that gave the folder, for an error message, e.g. {@code "--maps"}
	 */
	public static List<java.nio.file.Path> saveTiffs(java.nio.file.Path folder, String what, List<ImagePlus> images) {
		try {
			java.nio.file.Files.createDirectories(folder);
		} catch (java.io.IOException e) {
			throw new sc.fiji.clip.ClipException("Cannot create the folder " + folder + " (" + what + "): " + e.getMessage()
				+ ". Choose a folder you can write to.", e);
		}
		List<java.nio.file.Path> files = new java.util.ArrayList<>();
		for (ImagePlus imp : images) {
			java.nio.file.Path file = folder.resolve(imp.getTitle().replace(' ', '-') + ".tif");
			byte[] tiff = new ij.io.FileSaver(imp).serialize();
			sc.fiji.clip.io.AtomicFiles.write(file, out -> out.write(tiff));
			files.add(file);
		}
		return files;
	}

	private static String plane(LabelMap m) {
		int[] p = m.position();
		return "c" + p[0] + " z" + p[1] + " t" + p[2];
	}

	private static void copy(RandomAccessibleInterval<? extends RealType<?>> img, Object pixels) {
		Cursor<? extends RealType<?>> c = Views.flatIterable(img).cursor();
		for (int i = 0; c.hasNext(); i++) {
			double v = c.next().getRealDouble();
			if (pixels instanceof short[]) ((short[]) pixels)[i] = (short) v;
			else ((float[]) pixels)[i] = (float) v;
		}
	}

	private static Calibration calibration(Calibration source, int factor) {
		Calibration c = source == null ? new Calibration() : source.copy();
		c.pixelWidth *= factor;
		c.pixelHeight *= factor;
		return c;
	}

	/** Black for 0, then well-separated hues (golden-angle steps) for the labels. */
	static LUT lut() {
		byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		for (int i = 1; i < 256; i++) {
			float hue = ((i - 1) * 0.618034f) % 1f;
			int rgb = Color.HSBtoRGB(hue, i % 2 == 0 ? 0.65f : 0.9f, i % 3 == 0 ? 0.75f : 1f);
			r[i] = (byte) (rgb >> 16);
			g[i] = (byte) (rgb >> 8);
			b[i] = (byte) rgb;
		}
		return new LUT(r, g, b);
	}
}
