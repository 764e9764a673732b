package sc.fiji.clip.tiles;

import java.util.List;
import net.imglib2.Localizable;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.Type;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * The labels of one plane's tiles, and the maps made of them: per cell of the {@link TileGrid} the probability of
 * every label (the overlap-weighted mean of the tiles covering the cell, so overlapping tiles blend) and the most
 * probable label, as ImgLib2 images; {@link #atPixels} shows a cell map at the image's own resolution without
 * copying it.
 */
public final class LabelMap {

	private final String name;
	private final int[] czt;
	private final TileGrid grid;
	private final List<String> labels;
	private final float[] tileProbabilities;
	private float[] cells;

	LabelMap(String name, int[] czt, TileGrid grid, List<String> labels, float[] tileProbabilities) {
		this.name = name;
		this.czt = czt.clone();
		this.grid = grid;
		this.labels = List.copyOf(labels);
		this.tileProbabilities = tileProbabilities;
	}

	/** The image's name. */
	public String name() {
		return name;
	}

	/** {c, z, t} of the plane (c = 0 for a composite). */
	public int[] position() {
		return czt.clone();
	}

	public TileGrid grid() {
		return grid;
	}

	/** The labels, in the order of the probability image's third dimension; label image value {@code i + 1}. */
	public List<String> labels() {
		return labels;
	}

	/** Probability of label {@code l} for tile {@code i}. */
	public float tileProbability(int i, int l) {
		return tileProbabilities[i * labels.size() + l];
	}

	/** Per-cell probabilities [cellsX, cellsY, labels]. */
	public RandomAccessibleInterval<FloatType> probabilities() {
		return ArrayImgs.floats(cells(), grid.cellsX(), grid.cellsY(), labels.size());
	}

	/** Per-cell label [cellsX, cellsY]: 1 + the index of the most probable label. */
	public RandomAccessibleInterval<UnsignedShortType> labelImage() {
		int cx = grid.cellsX(), cy = grid.cellsY(), n = labels.size();
		float[] p = cells();
		short[] out = new short[cx * cy];
		for (int c = 0; c < out.length; c++) {
			int best = 0;
			for (int l = 1; l < n; l++) if (p[l * out.length + c] > p[best * out.length + c]) best = l;
			out[c] = (short) (best + 1);
		}
		return ArrayImgs.unsignedShorts(out, cx, cy);
	}

	/** Cell probabilities, label-major: {@code [l][y][x]}. */
	private float[] cells() {
		if (cells != null) return cells;
		int cx = grid.cellsX(), cy = grid.cellsY(), n = labels.size(), s = grid.stride();
		double[] sum = new double[n * cx * cy];
		double[] weight = new double[cx * cy];
		for (int i = 0; i < grid.count(); i++) {
			long x0 = grid.x(i), y0 = grid.y(i), x1 = x0 + grid.size(), y1 = y0 + grid.size();
			for (int y = (int) (y0 / s); y < cy && (long) y * s < y1; y++) {
				long oy = Math.min(y1, Math.min((long) (y + 1) * s, grid.height())) - Math.max(y0, (long) y * s);
				for (int x = (int) (x0 / s); x < cx && (long) x * s < x1; x++) {
					long ox = Math.min(x1, Math.min((long) (x + 1) * s, grid.width())) - Math.max(x0, (long) x * s);
					if (ox <= 0 || oy <= 0) continue;
					double w = (double) ox * oy;
					int c = y * cx + x;
					weight[c] += w;
					for (int l = 0; l < n; l++) sum[l * cx * cy + c] += w * tileProbability(i, l);
				}
			}
		}
		float[] out = new float[sum.length];
		for (int l = 0; l < n; l++) {
			for (int c = 0; c < cx * cy; c++) out[l * cx * cy + c] = (float) (sum[l * cx * cy + c] / weight[c]);
		}
		cells = out;
		return cells;
	}

	/**
	 * A cell map (2D, or 3D with labels last) seen at the image's resolution: pixel (x, y) shows cell (x / stride,
	 * y / stride). A view: nothing is copied, so it serves images larger than the heap.
	 */
	public <T extends Type<T>> RandomAccessibleInterval<T> atPixels(RandomAccessibleInterval<T> cellMap) {
		int n = cellMap.numDimensions(), s = grid.stride();
		T type = cellMap.getType().createVariable();
		FunctionRandomAccessible<T> pixels = new FunctionRandomAccessible<>(n, () -> {
			RandomAccess<T> access = cellMap.randomAccess();
			return (Localizable p, T out) -> {
				access.setPosition(p.getLongPosition(0) / s, 0);
				access.setPosition(p.getLongPosition(1) / s, 1);
				for (int d = 2; d < n; d++) access.setPosition(p.getLongPosition(d), d);
				out.set(access.get());
			};
		}, type::createVariable);
		long[] max = new long[n];
		max[0] = grid.width() - 1;
		max[1] = grid.height() - 1;
		for (int d = 2; d < n; d++) max[d] = cellMap.max(d);
		return Views.interval(pixels, new long[n], max);
	}
}
