package sc.fiji.clip.regions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * Labels regions (ImageJ's ROIs) of an image's planes: every region on its own plane, or on every plane when it has
 * none, through the labeller's pipeline in batches. One row per region and plane, in plane then region order.
 */
public final class RegionLabeller {

	/** Hears each region's row. */
	public interface RegionRows {
		/** Region {@code index} (0-based, in the list given) got {@code row} on its plane. */
		void accept(int index, Region region, LabelResult row);
	}

	private final ZeroShotLabeller.Builder labeller;
	private final int padding;
	private final boolean mask;

	/**
	 * Regions scored by {@code scorer}, grown by {@code padding} pixels, with pixels outside a region black when
	 * {@code mask}; {@code topK} labels per row, all probabilities kept.
	 */
	public RegionLabeller(ImageScorer scorer, int padding, boolean mask, int topK, int batchSize, ProgressListener progress) {
		if (padding < 0) throw new ClipException("The padding must be 0 pixels or more, not " + padding + ".");
		this.labeller = ZeroShotLabeller.builder(Objects.requireNonNull(scorer, "scorer")).allScores(true)
			.topK(Math.min(topK, scorer.labels().size())).batchSize(batchSize).progress(progress);
		this.padding = padding;
		this.mask = mask;
	}

	/**
	 * Labels {@code regions} of the image {@code name}, whose planes are {@code planes}.
	 *
	 * @throws ClipException if there are no regions, or one lies outside the image or on a plane it does not have
	 */
	public LabelSummary label(String name, List<ArgbPlane> planes, List<Region> regions, RegionRows rows) {
		if (regions.isEmpty()) throw new ClipException("No ROIs to label in " + name + ": add ROIs to the ROI Manager or give an ROI set.");
		List<RegionCrops> groups = new ArrayList<>();
		List<int[]> indices = new ArrayList<>();
		for (Region r : regions) {
			if (r.plane() != null && planes.stream().noneMatch(p -> Arrays.equals(p.position(), r.plane()))) {
				int[] q = r.plane();
				throw new ClipException("ROI \"" + r.name() + "\" is on plane c=" + q[0] + " z=" + q[1] + " t=" + q[2] + ", which "
					+ name + " does not have.");
			}
		}
		for (ArgbPlane p : planes) {
			List<Region> here = new ArrayList<>();
			int[] index = new int[regions.size()];
			for (int i = 0; i < regions.size(); i++) {
				Region r = regions.get(i);
				if (r.plane() == null || Arrays.equals(r.plane(), p.position())) {
					index[here.size()] = i;
					here.add(r);
				}
			}
			if (here.isEmpty()) continue;
			groups.add(new RegionCrops(name, p, here, p.position(), padding, mask));
			indices.add(Arrays.copyOf(index, here.size()));
		}
		return labeller.build().labelGroups(groups, (plane, row) -> {
			int i = indices.get(plane.group())[plane.index()];
			rows.accept(i, regions.get(i), row);
		});
	}
}
