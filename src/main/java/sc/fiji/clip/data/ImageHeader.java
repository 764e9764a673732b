package sc.fiji.clip.data;

/** What {@link ImageReader#inspect} learnt from an image file's header without decoding its pixels. */
public final class ImageHeader {

	/** The image file formats read. */
	public enum Format {
		TIFF, PNG, JPEG, GIF, BMP
	}

	private final Format format;
	private final int width;
	private final int height;
	private final long planes;

	public ImageHeader(Format format, int width, int height, long planes) {
		this.format = format;
		this.width = width;
		this.height = height;
		this.planes = planes;
	}

	/** The format found from the file's content (not its extension). */
	public Format format() {
		return format;
	}

	/** Width of the (first) image in pixels. */
	public int width() {
		return width;
	}

	/** Height of the (first) image in pixels. */
	public int height() {
		return height;
	}

	/** Number of planes (stack slices, TIFF pages); 1 for most files. */
	public long planes() {
		return planes;
	}

	@Override
	public String toString() {
		return format + " " + width + "x" + height + (planes > 1 ? "x" + planes : "");
	}
}
