package sc.fiji.clip.tiles;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.ArgbPlane;
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
				return ArgbPlane.rgb(Views.interval(Views.zeroMin(image), grid.tile(i)));
			}

			@Override
			public void close() {}
		};
	}
}
