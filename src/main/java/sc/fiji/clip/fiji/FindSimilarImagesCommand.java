package sc.fiji.clip.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import java.io.File;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.search.Query;
import sc.fiji.clip.search.SearchHit;

/**
 * Plugins › CLIP › Find Similar Images…: the planes of an index most like the current plane of the current image, or
 * like what its area selection holds (its bounding box); hits as in Search Images…
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Find Similar Images...")
public class FindSimilarImagesCommand extends ContextCommand {

	@Parameter(label = "Index folder", style = "directory")
	private File index;

	@Parameter(label = "Hits", min = "1")
	private int topk = 10;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		ImagePlus imp = WindowManager.getCurrentImage();
		if (imp == null) throw new ClipException("Find Similar Images: there is no current image. Open the example image.");
		Query query = new Query().image(ImagePlanes.input(example(imp)));
		List<SearchHit> hits = SearchImagesCommand.search(service, index, device, query, topk);
		SearchImagesCommand.show(hits, "CLIP search of " + index + " for images like " + imp.getTitle());
		Tables.publish(SearchImagesCommand.table(hits), SearchImagesCommand.TABLE, results);
		if (!Tables.headless()) HitOpener.install(SearchImagesCommand.TABLE);
	}

	/** The current plane as displayed, cropped to the bounds of an area selection if there is one. */
	static ImagePlus example(ImagePlus imp) {
		ImageProcessor ip = imp.getProcessor().duplicate();
		Roi roi = imp.getRoi();
		String title = imp.getTitle();
		if (roi != null && roi.isArea()) {
			ip.setRoi(roi.getBounds());
			ip = ip.crop();
			title += " (selection)";
		}
		ImagePlus example = new ImagePlus(title, ip);
		example.setCalibration(imp.getCalibration());
		return example;
	}
}
