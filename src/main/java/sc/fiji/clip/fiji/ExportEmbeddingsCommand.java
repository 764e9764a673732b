package sc.fiji.clip.fiji;

import ij.IJ;
import ij.measure.ResultsTable;
import java.io.File;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.search.EmbeddingExport;

/**
 * Plugins › CLIP › Export Embeddings…: the image embedding of every plane of the current image, all open images or a
 * folder, into the {@value #TABLE} table ({@code image, c, z, t, e0, ...}) and, with a file, into a .csv, .npz or
 * .safetensors file for analysis elsewhere, as {@code fiji-clip embed} writes it.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Export Embeddings...")
public class ExportEmbeddingsCommand extends ContextCommand {

	static final String TABLE = "CLIP Embeddings";

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Images", choices = { LabelTableRun.CURRENT, LabelTableRun.ALL_OPEN, LabelTableRun.FOLDER })
	private String images = LabelTableRun.CURRENT;

	@Parameter(label = "Folder (for 'folder')", style = "directory", required = false)
	private File folder;

	@Parameter(label = "File (.csv, .npz or .safetensors; optional)", style = "save", required = false)
	private File file;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		boolean toFile = file != null && !file.getPath().isEmpty();
		if (toFile) EmbeddingExport.format(file.toPath());
		LabelTableRun inputs = new LabelTableRun("Export Embeddings", images, folder);
		ResultsTable table = new ResultsTable();
		int[] written = { 0 };
		LabelSummary summary = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				EmbeddingExport export = toFile ? EmbeddingExport.to(file.toPath()) : null)
			{
				int dim = lease.model().config().projection_dim;
				LabelSummary s = EncodingPipeline.builder(lease.model()).mergeChannels(inputs.asDisplayed())
					.progress(new ImageJProgress(this::isCanceled)).build()
					.run(inputs.inputs(), e -> e.toFloatArray(), (plane, batch, row) -> {
						if (export != null) export.add(plane, batch, row * dim, dim);
						table.incrementCounter();
						table.addValue("image", plane.name());
						table.addValue("c", plane.channel());
						table.addValue("z", plane.slice());
						table.addValue("t", plane.frame());
						for (int i = 0; i < dim; i++) table.addValue("e" + i, batch[row * dim + i]);
					});
				if (export != null && !s.cancelled()) {
					export.write(lease.model().weights().manager());
					written[0] = export.size();
				}
				return s;
			}
		});
		IJ.showProgress(1.0);
		IJ.showStatus(String.format("CLIP: %d planes embedded%s", summary.planes(), summary.cancelled() ? " (cancelled)" : ""));
		if (summary.skipped() > 0) IJ.log(summary.skipReport());
		if (toFile && !summary.cancelled()) IJ.log("CLIP: wrote " + written[0] + " embeddings to " + file);
		Tables.publish(table, TABLE, results);
	}
}
