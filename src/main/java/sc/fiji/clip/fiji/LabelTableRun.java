package sc.fiji.clip.fiji;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.measure.ResultsTable;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * What Label Images… and Label Images with Examples… share: which images the choice names, labelling them with a
 * classifier into the {@value #TABLE} table (appended run after run), slice labels, and the closing status.
 */
final class LabelTableRun {

	static final String TABLE = "CLIP Labels";
	static final String CURRENT = "current image", ALL_OPEN = "all open images", FOLDER = "folder";

	private final String command;
	private final List<ImagePlus> open = new ArrayList<>();
	private final List<LabelInput> inputs;
	private final ResultsTable table;

	/** The inputs of {@code images} ({@link #CURRENT}, {@link #ALL_OPEN} or {@link #FOLDER} with {@code folder}). */
	LabelTableRun(String command, String images, File folder) {
		this.command = command;
		inputs = inputs(images, folder);
		ResultsTable existing = Tables.headless() ? null : ResultsTable.getResultsTable(TABLE);
		table = existing != null ? existing : new ResultsTable();
	}

	private List<LabelInput> inputs(String images, File folder) {
		List<LabelInput> list = new ArrayList<>();
		if (FOLDER.equals(images)) {
			if (folder == null || !folder.isDirectory()) {
				throw new ClipException(command + ": 'folder' was chosen but " + folder + " is not a folder. Give folder=[/path].");
			}
			list.add(LabelInput.of(folder.toPath()));
		} else if (ALL_OPEN.equals(images)) {
			int[] ids = WindowManager.getIDList();
			if (ids == null) throw new ClipException(command + ": no image is open. Open images or choose a folder.");
			for (int id : ids) open.add(WindowManager.getImage(id));
		} else {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new ClipException(command + ": there is no current image. Open one or choose a folder.");
			open.add(imp);
		}
		for (ImagePlus imp : open) list.add(ImagePlanes.input(imp));
		return list;
	}

	/** The images chosen. */
	List<LabelInput> inputs() {
		return inputs;
	}

	/** Labels the inputs with {@code scorer}, {@code topk} labels a row, into the table (and slice labels if asked). */
	LabelSummary label(ImageScorer scorer, int topk, boolean sliceLabels, BooleanSupplier cancelled) {
		ZeroShotLabeller labeller = ZeroShotLabeller.builder(scorer).topK(topk).mergeChannels(asDisplayed())
			.progress(new ImageJProgress(cancelled)).build();
		return labeller.label(inputs, row -> add(row, labeller.topK(), sliceLabels));
	}

	/** Status line, skip report, and the table shown (or copied into Results). */
	void finish(LabelSummary summary, boolean results) {
		IJ.showProgress(1.0);
		IJ.showStatus(String.format("CLIP: %d planes labelled%s", summary.planes(), summary.cancelled() ? " (cancelled)" : ""));
		if (summary.skipped() > 0) IJ.log(summary.skipReport());
		Tables.publish(table, TABLE, results);
	}

	/**
	 * Label what the user sees: channels merged as displayed when every image is a composite shown in composite
	 * mode, each channel on its own otherwise (and for folders).
	 */
	boolean asDisplayed() {
		for (ImagePlus imp : open) if (!asDisplayed(imp)) return false;
		return !open.isEmpty();
	}

	/** Whether {@code imp} is a composite shown in composite mode, whose channels are then labelled merged. */
	static boolean asDisplayed(ImagePlus imp) {
		return imp instanceof CompositeImage && ((CompositeImage) imp).getMode() == IJ.COMPOSITE;
	}

	private void add(LabelResult row, int k, boolean sliceLabels) {
		synchronized (table) {
			table.incrementCounter();
			table.addValue("image", row.image());
			table.addValue("c", row.channel());
			table.addValue("z", row.slice());
			table.addValue("t", row.frame());
			for (int r = 0; r < Math.min(k, row.topK()); r++) {
				table.addValue(r == 0 ? "label" : "label" + (r + 1), row.label(r));
				table.addValue(r == 0 ? "score" : "score" + (r + 1), row.score(r));
			}
		}
		if (sliceLabels) writeSliceLabel(row);
	}

	private void writeSliceLabel(LabelResult row) {
		for (ImagePlus imp : open) {
			if (!imp.getTitle().equals(row.image())) continue;
			ImageStack stack = imp.getStack();
			int c = Math.max(1, row.channel());
			int index = imp.getStackIndex(c, row.slice(), row.frame());
			stack.setSliceLabel(row.label(), index);
		}
	}
}
