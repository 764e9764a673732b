package sc.fiji.clip.fiji;

import ij.IJ;
import java.io.File;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * Plugins › CLIP › Label Images…: labels the current image (every plane of a stack), all open images, or a folder
 * zero-shot against a list of labels, into the {@code CLIP Labels} table (the command line's CSV columns), appended
 * run after run. With no labels, a model made by {@code fiji-clip adapt} labels with the few-shot classifier it keeps.
 * Eight inputs, each one a macro line must give: the model's own caption templates are used, channels are merged when
 * the images are shown as composites, and the table is saved with {@code saveAs("Results", path)} (with
 * {@code results=true}); the command line has the rest. Examples folders have their own command (Label Images with
 * Examples…), so that macros written for these eight inputs keep running without a dialog. A thin shell over
 * {@link ZeroShotLabeller}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Label Images...")
public class LabelImagesCommand extends ContextCommand {

	static final String TABLE = LabelTableRun.TABLE;
	static final String CURRENT = LabelTableRun.CURRENT, ALL_OPEN = LabelTableRun.ALL_OPEN, FOLDER = LabelTableRun.FOLDER;

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
		LabelSet labelSet = labels == null || labels.isBlank() ? null : labelSet(labels);
		LabelTableRun run = new LabelTableRun("Label Images", images, folder);
		LabelSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ImageScorer classifier = labelSet != null
					? ZeroShotClassifier.create(lease.model(), labelSet, null, lease.memo())
					: Scorers.open(lease.model(), model.toPath(), null, null, null, null, ProgressListener.NONE, IJ::log))
			{
				return run.label(classifier, topk, slicelabels, this::isCanceled);
			}
		});
		run.finish(summary, results);
	}

	/** A comma-separated list, or the path of a text file with one label per line. */
	static LabelSet labelSet(String labels) {
		String text = labels == null ? "" : labels.trim();
		if (text.toLowerCase(java.util.Locale.ROOT).endsWith(".txt") && new File(text).isFile()) {
			return LabelSet.fromFile(new File(text).toPath());
		}
		return LabelSet.parseList(text);
	}
}
