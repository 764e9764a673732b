package sc.fiji.clip.tiles;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.PlaneGroup;

/**
 * The tiles of one 2D ARGB image as a {@link PlaneGroup}: each tile is a {@link Views#interval} of the image, copied
 * out only when its turn comes, so the image may be a virtual or procedural one larger than the heap.
 */
final class TilePlanes implements PlaneGroup {

	private final String name;
	private final RandomAccessibleInterval<ARGBType> image;
	private final TileGrid grid;
	private final int[] czt;

	TilePlanes(String name, RandomAccessibleInterval<ARGBType> image, TileGrid grid, int[] czt) {
		this.name = name;
		this.image = image;
		this.grid = grid;
		this.czt = czt.clone();
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public long estimate() {
		return grid.count();
	}

	@Override
	public boolean skippable() {
		return false;
	}

	@Override
	public Planes open() {
		return new Planes() {
			@Override
			public int count() {
				return grid.count();
			}

			@Override
			public int[] position(int i) {
				return czt.clone();
			}

			@Override
			public RgbImage rgb(int i) {
				return copy(Views.interval(Views.zeroMin(image), grid.tile(i)), grid.size());
			}

			@Override
			public void close() {}
		};
	}

	/** A {@code size x size} ARGB view as RGB bytes. */
	static RgbImage copy(RandomAccessibleInterval<ARGBType> tile, int size) {
		byte[] data = new byte[size * size * 3];
		Cursor<ARGBType> c = Views.flatIterable(tile).cursor();
		for (int i = 0; c.hasNext(); i += 3) {
			int v = c.next().get();
			data[i] = (byte) (v >> 16);
			data[i + 1] = (byte) (v >> 8);
			data[i + 2] = (byte) v;
		}
		return new RgbImage(size, size, data);
	}
}
