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
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * Plugins › CLIP › Label Images…: labels the current image (every plane of a stack), all open images, or a folder
 * zero-shot against a list of labels, into the {@code CLIP Labels} table (the command line's CSV columns), appended
 * run after run. Eight inputs, each one a macro line must give: the model's own caption templates are used, channels
 * are merged when the images are shown as composites, and the table is saved with {@code saveAs("Results", path)}
 * (with {@code results=true}); the command line has the rest. A thin shell over {@link ZeroShotLabeller}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Label Images...")
public class LabelImagesCommand extends ContextCommand {

	static final String TABLE = "CLIP Labels";
	static final String CURRENT = "current image", ALL_OPEN = "all open images", FOLDER = "folder";

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Images", choices = { CURRENT, ALL_OPEN, FOLDER })
	private String images = CURRENT;

	@Parameter(label = "Folder (for 'folder')", style = "directory", required = false)
	private File folder;

	@Parameter(label = "Labels (comma-separated, or a .txt file with one per line)", persist = false)
	private String labels = "";

	@Parameter(label = "Top labels per plane", min = "1")
	private int topk = 1;

	@Parameter(label = "Write top label into slice labels")
	private boolean slicelabels = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	/** Keeps models loaded between runs; absent in a bare context (then the model loads for this run only). */
	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		LabelSet labelSet = labelSet(labels);
		List<LabelInput> inputs = inputs();
		ResultsTable table = existingTable();
		LabelSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ZeroShotClassifier classifier = ZeroShotClassifier.create(lease.model(), labelSet, null, lease.memo()))
			{
				ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).topK(topk).mergeChannels(asDisplayed(inputs))
					.progress(new ImageJProgress(this::isCanceled)).build();
				return labeller.label(inputs, row -> add(table, row, labeller.topK(), inputs));
			}
		});
		IJ.showProgress(1.0);
		IJ.showStatus(String.format("CLIP: %d planes labelled%s", summary.planes(), summary.cancelled() ? " (cancelled)" : ""));
		if (summary.skipped() > 0) IJ.log(summary.skipReport());
		Tables.publish(table, TABLE, results);
	}

	/** A comma-separated list, or the path of a text file with one label per line. */
	static LabelSet labelSet(String labels) {
		String text = labels == null ? "" : labels.trim();
		if (text.toLowerCase(java.util.Locale.ROOT).endsWith(".txt") && new File(text).isFile()) {
			return LabelSet.fromFile(new File(text).toPath());
		}
		return LabelSet.parseList(text);
	}

	/**
	 * Label what the user sees: channels merged as displayed when every image is a composite shown in composite
	 * mode, each channel on its own otherwise (and for folders).
	 */
	static boolean asDisplayed(List<LabelInput> inputs) {
		for (LabelInput input : inputs) {
			ImagePlus imp = input.image();
			if (!(imp instanceof CompositeImage) || ((CompositeImage) imp).getMode() != IJ.COMPOSITE) return false;
		}
		return !inputs.isEmpty();
	}

	private List<LabelInput> inputs() {
		List<LabelInput> inputs = new ArrayList<>();
		if (FOLDER.equals(images)) {
			if (folder == null || !folder.isDirectory()) {
				throw new ClipException("Label Images: 'folder' was chosen but " + folder + " is not a folder. Give folder=[/path].");
			}
			inputs.add(LabelInput.of(folder.toPath()));
		} else if (ALL_OPEN.equals(images)) {
			int[] ids = WindowManager.getIDList();
			if (ids == null) throw new ClipException("Label Images: no image is open. Open images or choose a folder.");
			for (int id : ids) inputs.add(LabelInput.of(WindowManager.getImage(id)));
		} else {
			ImagePlus imp = WindowManager.getCurrentImage();
			if (imp == null) throw new ClipException("Label Images: there is no current image. Open one or choose a folder.");
			inputs.add(LabelInput.of(imp));
		}
		return inputs;
	}

	private ResultsTable existingTable() {
		ResultsTable existing = Tables.headless() ? null : ResultsTable.getResultsTable(TABLE);
		return existing != null ? existing : new ResultsTable();
	}

	private void add(ResultsTable table, LabelResult row, int k, List<LabelInput> inputs) {
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
		if (slicelabels) writeSliceLabel(row, inputs);
	}

	private static void writeSliceLabel(LabelResult row, List<LabelInput> inputs) {
		for (LabelInput input : inputs) {
			ImagePlus imp = input.image();
			if (imp == null || !input.name().equals(row.image())) continue;
			ImageStack stack = imp.getStack();
			int c = Math.max(1, row.channel());
			int index = imp.getStackIndex(c, row.slice(), row.frame());
			stack.setSliceLabel(row.label(), index);
		}
	}
}
