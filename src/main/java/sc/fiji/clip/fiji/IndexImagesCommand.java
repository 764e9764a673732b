package sc.fiji.clip.fiji;

import ij.IJ;
import java.io.File;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.search.IndexSummary;
import sc.fiji.clip.search.Indexer;

/**
 * Plugins › CLIP › Index Images…: embeds every plane of every image under a folder into an index folder for Search
 * Images…; run again, only new and changed files are embedded. A thin shell over {@link Indexer}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Index Images...")
public class IndexImagesCommand extends ContextCommand {

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Images folder", style = "directory")
	private File folder;

	@Parameter(label = "Index folder (made or updated)", style = "directory")
	private File index;

	@Parameter(label = "Store float16 (half the disk)")
	private boolean float16 = false;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		IndexSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device)) {
				return Indexer.builder(lease.model(), model.toPath()).half(float16)
					.progress(new ImageJProgress(this::isCanceled)).build().update(index.toPath(), List.of(folder.toPath()));
			}
		});
		IJ.showProgress(1.0);
		IJ.log("CLIP index " + index + ": " + summary);
		for (String line : summary.skipLines()) IJ.log("  skipped " + line);
		IJ.showStatus("CLIP: index of " + summary.rows() + " planes");
	}
}
