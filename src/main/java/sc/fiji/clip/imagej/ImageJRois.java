package sc.fiji.clip.imagej;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.process.ImageProcessor;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.regions.Region;

/**
 * ImageJ's ROIs as {@link Region}s, and ROI set files ({@code RoiSet.zip} as the ROI Manager saves it, or one
 * {@code .roi}) read with ImageJ's own {@link RoiDecoder}. A ROI's plane is its hyperstack position (c, z, t) when
 * it has one, its stack position for a plain stack, and every plane when it has none; a ROI with no name is named
 * by its number.
 */
public final class ImageJRois {

	private ImageJRois() {}

	/** {@code rois} as regions of {@code imp} (whose dimensions decide what a stack position means). */
	public static List<Region> regions(List<Roi> rois, ImagePlus imp) {
		List<Region> regions = new ArrayList<>();
		for (int i = 0; i < rois.size(); i++) regions.add(region(rois.get(i), i + 1, imp));
		return regions;
	}

	static Region region(Roi roi, int number, ImagePlus imp) {
		Rectangle b = roi.getBounds();
		if (b.width < 1 || b.height < 1) {
			throw new ClipException("ROI " + number + (roi.getName() != null ? " \"" + roi.getName() + "\"" : "") + " is "
				+ "empty (a point or a line of no width): Label ROIs needs areas.");
		}
		boolean[] mask = null;
		ImageProcessor m = roi.getMask();
		if (m != null) {
			mask = new boolean[b.width * b.height];
			for (int y = 0; y < b.height; y++) for (int x = 0; x < b.width; x++) mask[y * b.width + x] = m.get(x, y) != 0;
		}
		String name = roi.getName() != null && !roi.getName().isEmpty() ? roi.getName() : "ROI " + number;
		return new Region(name, b.x, b.y, b.width, b.height, mask, plane(roi, imp));
	}

	private static int[] plane(Roi roi, ImagePlus imp) {
		int c = roi.getCPosition(), z = roi.getZPosition(), t = roi.getTPosition();
		if (c > 0 || z > 0 || t > 0) {
			return new int[] { c > 0 ? c : 1, z > 0 ? z : 1, t > 0 ? t : 1 };
		}
		int position = roi.getPosition();
		if (position > 0 && imp != null) {
			int[] czt = imp.convertIndexToPosition(position);
			return czt;
		}
		return null;
	}

	/**
	 * The ROIs of a ROI set: a {@code .zip} of {@code .roi} files, or one {@code .roi} file.
	 *
	 * @throws ClipException if the file cannot be read or holds no ROI
	 */
	public static List<Roi> read(Path file) {
		String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
		List<Roi> rois = new ArrayList<>();
		try {
			if (lower.endsWith(".roi")) {
				Roi roi = new RoiDecoder(Files.readAllBytes(file), file.getFileName().toString()).getRoi();
				if (roi != null) rois.add(roi);
			} else if (lower.endsWith(".zip")) {
				try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
					for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
						if (!e.getName().toLowerCase(Locale.ROOT).endsWith(".roi")) continue;
						Roi roi = new RoiDecoder(zip.readAllBytes(), e.getName()).getRoi();
						if (roi == null) throw new ClipException(file + ": " + e.getName() + " is not an ImageJ ROI.");
						rois.add(roi);
					}
				}
			} else {
				throw new ClipException("Cannot read ROIs from " + file + ": give a RoiSet.zip saved by the ROI Manager or a .roi file.");
			}
		} catch (IOException e) {
			throw new ClipException("Cannot read the ROIs in " + file + ": " + e.getMessage(), e);
		}
		if (rois.isEmpty()) throw new ClipException(file + " holds no ROIs. Save the ROI Manager's ROIs (More › Save) and try again.");
		return rois;
	}
}
