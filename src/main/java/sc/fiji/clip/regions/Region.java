package sc.fiji.clip.regions;

/**
 * A region of an image to label: a name, a bounding box, optionally a mask of the pixels inside it (row by row over
 * the box) and the plane it belongs to ({c, z, t}, or null for every plane). Independent of ImageJ's {@code Roi},
 * which {@link ImageJRois} turns into regions.
 */
public final class Region {

	private final String name;
	private final int x, y, width, height;
	private final boolean[] mask;
	private final int[] plane;

	/**
	 * @param mask {@code width * height} values, true inside the region, or null for the whole box
	 * @param plane {c, z, t} of its plane, or null for every plane
	 */
	public Region(String name, int x, int y, int width, int height, boolean[] mask, int[] plane) {
		if (width < 1 || height < 1) throw new IllegalArgumentException("empty region " + name);
		if (mask != null && mask.length != width * height) throw new IllegalArgumentException("mask of " + mask.length + " for " + width + " x " + height);
		this.name = name;
		this.x = x;
		this.y = y;
		this.width = width;
		this.height = height;
		this.mask = mask;
		this.plane = plane == null ? null : plane.clone();
	}

	public String name() {
		return name;
	}

	public int x() {
		return x;
	}

	public int y() {
		return y;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	/** Whether pixel (px, py) of the image is inside the region. */
	public boolean contains(long px, long py) {
		if (px < x || py < y || px >= x + width || py >= y + height) return false;
		return mask == null || mask[(int) ((py - y) * width + (px - x))];
	}

	/** {c, z, t} of its plane, or null when it belongs to every plane. */
	public int[] plane() {
		return plane == null ? null : plane.clone();
	}

	/** The same region on every plane. */
	public Region onEveryPlane() {
		return new Region(name, x, y, width, height, mask, null);
	}

	@Override
	public String toString() {
		return name + " (" + x + ", " + y + ", " + width + " x " + height + ")";
	}
}
