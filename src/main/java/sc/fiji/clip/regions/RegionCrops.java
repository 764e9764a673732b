package sc.fiji.clip.regions;

import java.util.List;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.PlaneGroup;

/**
 * The regions of one plane as a {@link PlaneGroup}: each region's bounding box, grown by {@code padding} pixels on
 * every side and then to a square around its centre (so CLIP's centre crop keeps all of it), is copied out of the
 * plane; pixels beyond the image are black, and with {@code mask} so are pixels of the box outside the region.
 */
final class RegionCrops implements PlaneGroup {

	private final String name;
	private final ArgbPlane source;
	private RandomAccessibleInterval<ARGBType> plane;
	private final List<Region> regions;
	private final int[] czt;
	private final int padding;
	private final boolean mask;

	RegionCrops(String name, ArgbPlane plane, List<Region> regions, int[] czt, int padding, boolean mask) {
		this.name = name;
		this.source = plane;
		this.regions = regions;
		this.czt = czt.clone();
		this.padding = padding;
		this.mask = mask;
		long w = plane.width(), h = plane.height();
		for (Region r : regions) {
			if (r.x() >= w || r.y() >= h || r.x() + r.width() <= 0 || r.y() + r.height() <= 0) {
				throw new ClipException("ROI \"" + r.name() + "\" at (" + r.x() + ", " + r.y() + "), " + r.width() + " x "
					+ r.height() + ", lies outside the image " + name + " (" + w + " x " + h + "). Remove it or use the "
					+ "ROIs of this image.");
			}
		}
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public long estimate() {
		return regions.size();
	}

	@Override
	public boolean skippable() {
		return false;
	}

	@Override
	public Planes open() {
		plane = Views.zeroMin(source.pixels());
		return new Planes() {
			@Override
			public int count() {
				return regions.size();
			}

			@Override
			public int[] position(int i) {
				return czt.clone();
			}

			@Override
			public RgbImage rgb(int i) {
				return crop(regions.get(i));
			}

			@Override
			public void close() {
				plane = null;
			}
		};
	}

	/** The square crop of {@code r}; the group must be open. */
	RgbImage crop(Region r) {
		long w = plane.dimension(0), h = plane.dimension(1);
		int side = Math.max(r.width(), r.height()) + 2 * padding;
		long x0 = r.x() + r.width() / 2 - side / 2, y0 = r.y() + r.height() / 2 - side / 2;
		byte[] data = new byte[side * side * 3];
		RandomAccess<ARGBType> a = plane.randomAccess();
		for (int dy = 0; dy < side; dy++) {
			long py = y0 + dy;
			if (py < 0 || py >= h) continue;
			for (int dx = 0; dx < side; dx++) {
				long px = x0 + dx;
				if (px < 0 || px >= w || (mask && !r.contains(px, py))) continue;
				a.setPosition(px, 0);
				a.setPosition(py, 1);
				int v = a.get().get(), i = 3 * (dy * side + dx);
				data[i] = (byte) (v >> 16);
				data[i + 1] = (byte) (v >> 8);
				data[i + 2] = (byte) v;
			}
		}
		return new RgbImage(side, side, data);
	}
}
