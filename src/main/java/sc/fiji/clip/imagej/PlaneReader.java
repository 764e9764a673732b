package sc.fiji.clip.imagej;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import java.awt.image.ColorModel;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.imagej.RgbConversion;

/**
 * The planes of an image as the user sees them, read one at a time in stack order (channel fastest, then slice,
 * then frame), so a virtual stack loads one plane per call.
 * <p>
 * Plane by plane, each plane goes through its channel's LUT and display range. With channels merged, a
 * multichannel image gives one plane per (slice, frame): the composite of its channels, as ImageJ renders it in
 * composite mode (an image in composite mode keeps its active channels; one in colour or greyscale mode, or a plain
 * multichannel stack, has all its channels blended with its channel LUTs).
 */
public final class PlaneReader {

	private final ImagePlus imp;
	private final ImageStack stack;
	private final int channels, slices, frames;
	private final boolean merge;
	private final CompositeImage composite;
	private final ColorModel colorModel;
	private final double min, max;
	private CompositeImage mergeView;

	/** A reader of {@code imp}'s planes; {@code mergeChannels}: one composite per (slice, frame). */
	public PlaneReader(ImagePlus imp, boolean mergeChannels) {
		this.imp = imp;
		this.stack = imp.getStack();
		int[] dims = imp.getDimensions();
		channels = dims[2];
		slices = dims[3];
		frames = dims[4];
		merge = mergeChannels && channels > 1 && imp.getBitDepth() != 24;
		composite = imp instanceof CompositeImage ? (CompositeImage) imp : null;
		ImageProcessor current = imp.getProcessor();
		colorModel = current.getColorModel();
		min = current.getMin();
		max = current.getMax();
	}

	/** Whether planes are merged channel composites. */
	public boolean merged() {
		return merge;
	}

	/** Number of planes this reader gives. */
	public int count() {
		return merge ? slices * frames : channels * slices * frames;
	}

	/** {c, z, t} (1-based; c = 0 when merged) of plane {@code i} (0-based). */
	public int[] position(int i) {
		if (merge) return new int[] { 0, i % slices + 1, i / slices + 1 };
		return new int[] { i % channels + 1, i / channels % slices + 1, i / (channels * slices) + 1 };
	}

	/** Plane {@code i} (0-based) as 8-bit RGB. */
	public RgbImage rgb(int i) {
		int[] czt = position(i);
		if (merge) return RgbConversion.fromImagePlus(mergeView(), czt[1], czt[2]);
		ImageProcessor ip = stack.getProcessor(imp.getStackIndex(czt[0], czt[1], czt[2]));
		if (!(ip instanceof ColorProcessor)) {
			if (composite != null) {
				LUT lut = composite.getChannelLut(czt[0]);
				ip.setColorModel(lut);
				ip.setMinAndMax(lut.min, lut.max);
			} else {
				ip.setColorModel(colorModel);
				ip.setMinAndMax(min, max);
			}
		}
		return RgbConversion.fromProcessor(ip);
	}

	/** The image itself if it is shown as a composite, else a composite view of its stack with its LUTs. */
	private CompositeImage mergeView() {
		if (mergeView != null) return mergeView;
		if (composite != null && composite.getMode() == IJ.COMPOSITE) {
			mergeView = composite;
		} else {
			ImagePlus base = new ImagePlus(imp.getTitle(), stack);
			base.setDimensions(channels, slices, frames);
			CompositeImage view = new CompositeImage(base, IJ.COMPOSITE);
			if (composite != null) view.setLuts(composite.getLuts());
			mergeView = view;
		}
		return mergeView;
	}
}
