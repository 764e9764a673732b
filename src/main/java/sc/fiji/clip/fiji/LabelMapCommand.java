package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.LabelMapImages;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.tiles.TileLabeller;

/**
 * Plugins › CLIP › Label Map…: slides a tile over every plane of the current image (as displayed, or of one channel), labels each tile zero-shot and
 * shows the label image (one value per label, a LUT, the names in Image › Show Info) and the probabilities (one
 * channel per label), at one pixel per stride or at the image's resolution; the tiles go into the {@value #TABLE}
 * table. With an output folder the two images are saved there as TIFF (headless, that is where they go). A thin
 * shell over {@link TileLabeller}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Label Map...")
public class LabelMapCommand extends ContextCommand {

	static final String TABLE = "CLIP Tiles";

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Labels (comma-separated, or a .txt file with one per line)", persist = false)
	private String labels = "";

	@Parameter(label = "Tile size (pixels)", min = "1")
	private int tile = 224;

	@Parameter(label = "Stride (pixels; less than the tile overlaps)", min = "1")
	private int stride = 224;

	@Parameter(label = "Channel (0: as displayed, merged when shown as a composite)", min = "0")
	private int channel = 0;

	@Parameter(label = "Maps at the image's resolution")
	private boolean pixels = false;

	@Parameter(label = "Output folder (optional)", style = "directory", required = false)
	private File output;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) throw new ClipException("Label Map: there is no current image. Open the image to map.");
		LabelSet labelSet = LabelImagesCommand.labelSet(labels);
		ResultsTable table = new ResultsTable();
		TileLabeller.Result result = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ZeroShotClassifier classifier = ZeroShotClassifier.create(lease.model(), labelSet, null, lease.memo()))
			{
				TileLabeller labeller = new TileLabeller(classifier, tile, stride, 64, new ImageJProgress(this::isCanceled));
				return labeller.label(imp.getTitle(), planes(imp, channel), (plane, i, x, y, row) -> {
					table.incrementCounter();
					table.addValue("tile", i + 1);
					table.addValue("c", row.channel());
					table.addValue("z", row.slice());
					table.addValue("t", row.frame());
					table.addValue("x", x);
					table.addValue("y", y);
					table.addValue("label", row.label());
					table.addValue("score", row.score());
				});
			}
		});
		IJ.showProgress(1.0);
		IJ.showStatus(String.format("CLIP: %d tiles labelled%s", result.summary().planes(),
			result.summary().cancelled() ? " (cancelled)" : ""));
		if (!result.maps().isEmpty()) {
			String stem = imp.getShortTitle();
			ImagePlus labelImage = LabelMapImages.labels(stem + " labels", result.maps(), pixels, imp.getCalibration());
			ImagePlus probabilities = LabelMapImages.probabilities(stem + " probabilities", result.maps(), pixels, imp.getCalibration());
			if (output != null && !output.getPath().isEmpty()) {
				for (Path file : LabelMapImages.saveTiffs(output.toPath(), "Label Map's output folder", List.of(labelImage, probabilities))) {
					IJ.log("CLIP: wrote " + file);
				}
			}
			if (!Tables.headless()) {
				labelImage.show();
				probabilities.show();
			}
		}
		Tables.publish(table, TABLE, results);
	}

	/** The planes to map: as displayed, or those of one channel. */
	static List<ArgbPlane> planes(ImagePlus imp, int channel) {
		if (channel == 0) return ImagePlanes.argb(imp, LabelTableRun.asDisplayed(imp));
		if (channel > imp.getNChannels()) {
			throw new ClipException("Label Map: " + imp.getTitle() + " has " + imp.getNChannels() + " channel(s), not " + channel
				+ ". Give channel=0 for the image as displayed.");
		}
		List<ArgbPlane> planes = ImagePlanes.argb(imp, false);
		planes.removeIf(p -> p.position()[0] != channel);
		return planes;
	}
}
