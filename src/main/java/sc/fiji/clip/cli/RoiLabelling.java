package sc.fiji.clip.cli;

import ij.ImagePlus;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageJRois;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.ImageReader;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.regions.Region;
import sc.fiji.clip.regions.RegionLabeller;

/** {@code label --rois}: one CSV row per ROI of a ROI set (and plane), on one image file. */
final class RoiLabelling {

	static final List<String> COLUMNS = List.of("roi", "name", "x", "y", "width", "height");

	private RoiLabelling() {}

	static void check(Path rois, List<Path> paths, int tile) {
		if (tile > 0) throw new ClipException("--rois and --tile cannot go together: label ROIs or tiles.");
		if (!Files.isRegularFile(rois)) throw new ClipException("--rois " + rois + " does not exist. Give a RoiSet.zip or a .roi file.");
		if (paths.size() != 1 || Files.isDirectory(paths.get(0))) {
			throw new ClipException("--rois labels the ROIs of one image: give one image file, not " + paths + ".");
		}
	}

	static void run(ImageScorer scorer, Path roiFile, Path image, int padding, boolean mask, int topK, boolean allScores,
		int batchSize, boolean mergeChannels, ProgressListener progress, Writer csv, Consumer<String> log)
	{
		ImagePlus imp = ImageReader.open(image);
		try {
			List<Region> regions = ImageJRois.regions(ImageJRois.read(roiFile), imp);
			List<ArgbPlane> planes = ImagePlanes.argb(imp, mergeChannels);
			RegionLabeller labeller = new RegionLabeller(scorer, padding, mask, topK, batchSize, progress);
			LabelCsvWriter writer = new LabelCsvWriter(csv, Math.min(topK, scorer.labels().size()),
				allScores ? scorer.labels() : null, COLUMNS);
			LabelSummary summary = labeller.label(image.getFileName().toString(), planes, regions,
				(index, r, row) -> writer.accept(row, index + 1, r.name(), r.x(), r.y(), r.width(), r.height()));
			log.accept(String.format(Locale.ROOT, "labelled %d ROI rows (%d ROIs) in %.1f s", summary.planes(), regions.size(),
				summary.seconds()));
		} finally {
			imp.flush();
		}
	}
}
