package sc.fiji.clip.fiji;

import ij.IJ;
import java.io.File;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSummary;

/**
 * Plugins › CLIP › Label Images with Examples…: as Label Images…, but the labels are the class folders of an
 * examples folder ({@code examples/<class>/...}, a few images each) and the images are labelled few-shot by text and
 * examples together (the command line's {@code label --examples}). The weights chosen go to the Log.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Label Images with Examples...")
public class LabelWithExamplesCommand extends ContextCommand {

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Examples folder (one subfolder per class)", style = "directory")
	private File examples;

	@Parameter(label = "Method", choices = { "cache", "probe" })
	private String method = FewShotMethod.DEFAULT.id();

	@Parameter(label = "Images", choices = { LabelTableRun.CURRENT, LabelTableRun.ALL_OPEN, LabelTableRun.FOLDER })
	private String images = LabelTableRun.CURRENT;

	@Parameter(label = "Folder (for 'folder')", style = "directory", required = false)
	private File folder;

	@Parameter(label = "Top labels per plane", min = "1")
	private int topk = 1;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		FewShotMethod fewShot = FewShotMethod.of(method);
		LabelTableRun run = new LabelTableRun("Label Images with Examples", images, folder);
		LabelSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ImageScorer classifier = Scorers.open(lease.model(), null, null, null, examples.toPath(), fewShot,
					new ImageJProgress(this::isCanceled), line -> IJ.log("CLIP " + line)))
			{
				return run.label(classifier, topk, false, this::isCanceled);
			}
		});
		run.finish(summary, results);
	}
}
