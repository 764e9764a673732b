package sc.fiji.clip.cli;

import ij.ImagePlus;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.ImageReader;
import sc.fiji.clip.imagej.LabelMapImages;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.tiles.LabelMap;
import sc.fiji.clip.tiles.TileLabeller;

/**
 * {@code label --tile}: labels tiles of each image file's planes, one CSV row per tile (with its tile index and
 * position), and with {@code --maps} writes each file's label image and probability hyperstack as TIFF.
 */
final class TileLabelling {

	static final List<String> COLUMNS = List.of("tile", "x", "y", "size");

	private final ImageScorer scorer;
	private final int tile, stride, batchSize;
	private final boolean mergeChannels, pixels;
	private final Path maps;
	private final ProgressListener progress;

	TileLabelling(ImageScorer scorer, int tile, int stride, int batchSize, boolean mergeChannels, Path maps,
		boolean pixels, ProgressListener progress)
	{
		this.scorer = scorer;
		this.tile = tile;
		this.stride = stride;
		this.batchSize = batchSize;
		this.mergeChannels = mergeChannels;
		this.maps = maps;
		this.pixels = pixels;
		this.progress = progress;
	}

	/** Checks the options before any work. */
	static void check(int tile, int stride, Path maps, List<Path> paths) {
		if (tile < 1) throw new ClipException("--tile must be at least 1 pixel, not " + tile + ".");
		if (stride < 0 || stride > tile) {
			throw new ClipException("--stride must be between 1 and --tile (" + tile + "), not " + stride + ".");
		}
		if (maps != null && Files.isRegularFile(maps)) {
			throw new ClipException("--maps " + maps + " is a file. Give a folder for the label and probability images.");
		}
		for (Path p : paths) {
			if (Files.isDirectory(p)) throw new ClipException("--tile labels image files; " + p + " is a folder. Give its files.");
		}
	}

	/** Labels every file's tiles into {@code csv}; returns the number of tiles. */
	long run(List<Path> files, int topK, boolean allScores, Writer csv, java.util.function.Consumer<String> log) {
		LabelCsvWriter writer = new LabelCsvWriter(csv, topK, allScores ? scorer.labels() : null, COLUMNS);
		long tiles = 0;
		long start = System.nanoTime();
		for (Path file : files) {
			ImagePlus imp = ImageReader.open(file);
			String name = file.getFileName().toString();
			TileLabeller.Result result = new TileLabeller(scorer, tile, stride, batchSize, progress).label(name,
				ImagePlanes.argb(imp, mergeChannels),
				(plane, index, x, y, row) -> writer.accept(row, index + 1, x, y, tile));
			tiles += result.summary().planes();
			if (maps != null && !result.maps().isEmpty()) write(result.maps(), name, imp, log);
			imp.flush();
			if (result.summary().cancelled()) break;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		log.accept(String.format(Locale.ROOT, "labelled %d tiles of %d px (stride %d) in %.1f s (%.1f tiles/s)", tiles,
			tile, stride, seconds, seconds > 0 ? tiles / seconds : 0));
		return tiles;
	}

	private void write(List<LabelMap> result, String name, ImagePlus source, java.util.function.Consumer<String> log) {
		String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
		ImagePlus labels = LabelMapImages.labels(stem + "-labels", result, pixels, source.getCalibration());
		ImagePlus probabilities = LabelMapImages.probabilities(stem + "-probabilities", result, pixels, source.getCalibration());
		for (Path out : LabelMapImages.saveTiffs(maps, "--maps", List.of(labels, probabilities))) log.accept("wrote " + out);
	}
}
