package sc.fiji.clip.tiles;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.PlaneGroup;

/**
 * The tiles of one 2D ARGB plane as a {@link PlaneGroup}: the plane is read when the group opens, and each tile is a
 * {@link Views#interval} of it, copied out only when its turn comes, so the plane may be a virtual or procedural one
 * larger than the heap.
 */
final class TilePlanes implements PlaneGroup {

	private final String name;
	private final ArgbPlane plane;
	private final TileGrid grid;
	private final int[] czt;

	TilePlanes(String name, ArgbPlane plane, TileGrid grid, int[] czt) {
		this.name = name;
		this.plane = plane;
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
		RandomAccessibleInterval<ARGBType> image = Views.zeroMin(plane.pixels());
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
				return ArgbPlane.rgb(Views.interval(image, grid.tile(i)));
			}

			@Override
			public void close() {}
		};
	}
}
