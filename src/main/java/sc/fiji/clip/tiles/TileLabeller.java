package sc.fiji.clip.tiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * Labels the tiles of large 2D images and makes {@link LabelMap}s of them: a window of {@code size} pixels slides
 * every {@code stride} pixels over each plane (an ARGB ImgLib2 image, as displayed), and the tiles go through the
 * labeller's {@link sc.fiji.clip.label.EncodingPipeline} in batches, so memory holds a batch of tiles and the
 * per-tile probabilities, never the whole image.
 */
public final class TileLabeller {

	/** Hears each tile's row as it is labelled. */
	public interface TileRows {
		/** Tile {@code tile} of plane {@code plane} (at {@code x, y} in it) got {@code row}. */
		void accept(int plane, int tile, long x, long y, LabelResult row);
	}

	private final ImageScorer scorer;
	private final int size, stride, batchSize;
	private final ProgressListener progress;

	/** Tiles of {@code size} pixels every {@code stride} pixels, scored by {@code scorer} (the caller closes it). */
	public TileLabeller(ImageScorer scorer, int size, int stride, int batchSize, ProgressListener progress) {
		this.scorer = Objects.requireNonNull(scorer, "scorer");
		this.size = size;
		this.stride = stride;
		this.batchSize = batchSize;
		this.progress = progress;
	}

	/** The result of a run: one map per plane labelled (fewer if cancelled) and the run's summary. */
	public static final class Result {
		private final List<LabelMap> maps;
		private final LabelSummary summary;

		Result(List<LabelMap> maps, LabelSummary summary) {
			this.maps = maps;
			this.summary = summary;
		}

		public List<LabelMap> maps() {
			return maps;
		}

		public LabelSummary summary() {
			return summary;
		}
	}

	/**
	 * Labels every tile of every plane of the image {@code name}.
	 *
	 * @throws sc.fiji.clip.ClipException if a tile is larger than a plane or the stride is out of range
	 */
	public Result label(String name, List<ArgbPlane> planes, TileRows rows) {
		List<TileGrid> grids = new ArrayList<>();
		List<TilePlanes> groups = new ArrayList<>();
		for (ArgbPlane p : planes) {
			TileGrid grid = new TileGrid(p.width(), p.height(), size, stride);
			grids.add(grid);
			groups.add(new TilePlanes(name, p, grid, p.position()));
		}
		int labels = scorer.labels().size();
		List<float[]> probabilities = new ArrayList<>();
		for (TileGrid g : grids) probabilities.add(new float[g.count() * labels]);
		int[] done = new int[planes.size()];
		ZeroShotLabeller labeller = ZeroShotLabeller.builder(scorer).allScores(true).topK(Math.min(3, labels))
			.batchSize(batchSize).progress(progress).build();
		LabelSummary summary = labeller.labelGroups(groups, (plane, row) -> {
			int g = plane.group(), i = plane.index();
			System.arraycopy(row.allScores(), 0, probabilities.get(g), i * labels, labels);
			done[g]++;
			if (rows != null) rows.accept(g, i, grids.get(g).x(i), grids.get(g).y(i), row);
		});
		List<LabelMap> maps = new ArrayList<>();
		for (int g = 0; g < planes.size() && done[g] == grids.get(g).count(); g++) {
			maps.add(new LabelMap(name, planes.get(g).position(), grids.get(g), scorer.labels().labels(), probabilities.get(g)));
		}
		return new Result(maps, summary);
	}
}
