package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import ij.plugin.frame.RoiManager;
import java.awt.Color;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageJRois;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.regions.Region;
import sc.fiji.clip.regions.RegionLabeller;

/**
 * Plugins › CLIP › Label ROIs…: labels every ROI of the current image zero-shot: those of an ROI set file when one
 * is given (so it runs headless), else of the ROI Manager, else of the image's overlay, each on its own plane (else
 * every plane) or all on the current plane. One row per ROI (and plane) in the {@value #TABLE} table, with every
 * label's probability; with {@code rename}, the ROI Manager's or overlay's ROIs are named after their label
 * and coloured by it. A thin shell over {@link RegionLabeller}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Label ROIs...")
public class LabelRoisCommand extends ContextCommand {

	static final String TABLE = "CLIP ROI Labels";
	static final String OWN_PLANE = "each ROI's own plane (else every plane)", CURRENT_PLANE = "the current plane";

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Labels (comma-separated, or a .txt file with one per line)", persist = false)
	private String labels = "";

	@Parameter(label = "ROI set file (optional: else the ROI Manager, else the overlay)", style = "file", required = false)
	private File rois;

	@Parameter(label = "Planes", choices = { OWN_PLANE, CURRENT_PLANE })
	private String planes = OWN_PLANE;

	@Parameter(label = "Padding around each ROI (pixels)", min = "0")
	private int padding = 0;

	@Parameter(label = "Black out pixels outside the ROI")
	private boolean mask = false;

	@Parameter(label = "Top labels per ROI", min = "1")
	private int topk = 1;

	@Parameter(label = "Name and colour the ROIs by label")
	private boolean rename = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) throw new ClipException("Label ROIs: there is no current image. Open the image the ROIs belong to.");
		LabelSet labelSet = LabelImagesCommand.labelSet(labels);
		boolean fromFile = rois != null && !rois.getPath().isEmpty();
		List<Roi> list = fromFile ? ImageJRois.read(rois.toPath()) : shown(imp);
		ResultsTable table = new ResultsTable();
		String[] names = new String[list.size()];
		int[] labelIndex = new int[list.size()];
		LabelSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ZeroShotClassifier classifier = ZeroShotClassifier.create(lease.model(), labelSet, null, lease.memo()))
			{
				RegionLabeller labeller = new RegionLabeller(classifier, padding, mask, topk, 64,
					new ImageJProgress(this::isCanceled));
				boolean merge = LabelTableRun.asDisplayed(imp);
				List<ArgbPlane> all = ImagePlanes.argb(imp, merge);
				List<Region> regions = ImageJRois.regions(list, imp);
				if (CURRENT_PLANE.equals(planes)) {
					int[] current = { merge ? 0 : imp.getC(), imp.getZ(), imp.getT() };
					all.removeIf(p -> !Arrays.equals(p.position(), current));
					regions.replaceAll(Region::onEveryPlane);
				}
				return labeller.label(imp.getTitle(), all, regions, (i, r, row) -> {
						add(table, i, r.name(), row, labelSet);
						names[i] = row.label();
						labelIndex[i] = labelSet.labels().indexOf(row.label());
					});
			}
		});
		if (rename && !fromFile) {
			for (int i = 0; i < list.size(); i++) {
				if (names[i] == null) continue;
				list.get(i).setName(names[i]);
				list.get(i).setStrokeColor(colour(labelIndex[i]));
				list.get(i).setGroup(Math.min(255, labelIndex[i] + 1));
			}
			RoiManager manager = manager();
			if (manager != null) manager.runCommand("Update");
			imp.updateAndDraw();
		}
		IJ.showProgress(1.0);
		IJ.showStatus(String.format("CLIP: %d ROIs labelled%s", list.size(), summary.cancelled() ? " (cancelled)" : ""));
		Tables.publish(table, TABLE, results);
	}

	/** The ROI Manager, or null: headless there is none (asking for one would build its window). */
	private static RoiManager manager() {
		return Tables.headless() ? null : RoiManager.getInstance();
	}

	/** The ROI Manager's ROIs, else the overlay's. */
	private static List<Roi> shown(ImagePlus imp) {
		RoiManager manager = manager();
		if (manager != null && manager.getCount() > 0) return new ArrayList<>(Arrays.asList(manager.getRoisAsArray()));
		Overlay overlay = imp.getOverlay();
		if (overlay != null && overlay.size() > 0) return new ArrayList<>(Arrays.asList(overlay.toArray()));
		throw new ClipException("Label ROIs: " + imp.getTitle() + " has no ROIs: add them to the ROI Manager or the overlay, "
			+ "or give an ROI set file.");
	}

	private static void add(ResultsTable t, int index, String name, LabelResult row, LabelSet labels) {
		t.incrementCounter();
		t.addValue("roi", index + 1);
		t.addValue("name", name);
		t.addValue("c", row.channel());
		t.addValue("z", row.slice());
		t.addValue("t", row.frame());
		for (int k = 0; k < row.topK(); k++) {
			t.addValue(k == 0 ? "label" : "label" + (k + 1), row.label(k));
			t.addValue(k == 0 ? "score" : "score" + (k + 1), row.score(k));
		}
		for (int l = 0; l < labels.size(); l++) t.addValue("p:" + labels.get(l), row.probability(l));
	}

	/** A distinct colour per label (golden-angle hues). */
	static Color colour(int label) {
		return Color.getHSBColor((label * 0.618034f) % 1f, 0.9f, 1f);
	}
}
