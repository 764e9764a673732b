package sc.fiji.clip.tiles;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.FinalInterval;
import net.imglib2.Interval;
import sc.fiji.clip.ClipException;

/**
 * Square tiles of {@code size} pixels every {@code stride} pixels over a {@code width x height} image, covering all
 * of it: the last tile of a row or column is moved back to end at the image's edge when the stride does not reach it
 * exactly. The image is also cut into cells of {@code stride x stride} pixels (the last ones smaller), the pixels of
 * a label map: each cell gets the mean of the tiles overlapping it, weighted by the overlap.
 */
public final class TileGrid {

	private final long width, height;
	private final int size, stride;
	private final long[] xs, ys;

	/**
	 * @throws ClipException if the tile is larger than the image, or the stride is not between 1 and the tile size
	 */
	public TileGrid(long width, long height, int size, int stride) {
		if (size < 1) throw new ClipException("The tile size must be at least 1 pixel, not " + size + ".");
		if (stride < 1 || stride > size) {
			throw new ClipException("The tile stride must be between 1 and the tile size (" + size + "), not " + stride
				+ ": a larger stride would leave pixels between the tiles unlabelled.");
		}
		if (size > width || size > height) {
			throw new ClipException("A tile of " + size + " x " + size + " pixels is larger than the image (" + width + " x "
				+ height + "). Choose a tile of at most " + Math.min(width, height) + " pixels.");
		}
		this.width = width;
		this.height = height;
		this.size = size;
		this.stride = stride;
		this.xs = starts(width, size, stride);
		this.ys = starts(height, size, stride);
	}

	private static long[] starts(long length, int size, int stride) {
		List<Long> starts = new ArrayList<>();
		long x = 0;
		for (; x + size <= length; x += stride) starts.add(x);
		if (starts.get(starts.size() - 1) + size < length) starts.add(length - size);
		long[] out = new long[starts.size()];
		for (int i = 0; i < out.length; i++) out[i] = starts.get(i);
		return out;
	}

	/** Number of tiles. */
	public int count() {
		long n = (long) xs.length * ys.length;
		if (n > Integer.MAX_VALUE) throw new ClipException(n + " tiles are too many: choose a larger tile or stride.");
		return (int) n;
	}

	/** Tile {@code i} (row by row) as an interval of the image. */
	public Interval tile(int i) {
		long x = xs[i % xs.length], y = ys[i / xs.length];
		return new FinalInterval(new long[] { x, y }, new long[] { x + size - 1, y + size - 1 });
	}

	/** Left edge of tile {@code i}. */
	public long x(int i) {
		return xs[i % xs.length];
	}

	/** Top edge of tile {@code i}. */
	public long y(int i) {
		return ys[i / xs.length];
	}

	public int size() {
		return size;
	}

	public int stride() {
		return stride;
	}

	public long width() {
		return width;
	}

	public long height() {
		return height;
	}

	/** Cells across: {@code ceil(width / stride)}. */
	public int cellsX() {
		return (int) ((width + stride - 1) / stride);
	}

	/** Cells down: {@code ceil(height / stride)}. */
	public int cellsY() {
		return (int) ((height + stride - 1) / stride);
	}
}
