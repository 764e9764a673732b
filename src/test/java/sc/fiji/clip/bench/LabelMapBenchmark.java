package sc.fiji.clip.bench;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.imglib2.Localizable;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.position.FunctionRandomAccessible;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.view.Views;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.tiles.LabelMap;
import sc.fiji.clip.tiles.TileLabeller;

/**
 * A label map of an image larger than the heap: a procedural 20 000 x 20 000 RGB mosaic (an ImgLib2
 * {@code FunctionRandomAccessible}, never held in memory: 1.6 GB as ARGB) of squares of {@code block} pixels in the
 * colour model's four colours, tiled at {@code tile} pixels, labelled by the colour model. Prints tiles/s, the
 * fraction of tiles inside one square labelled with its colour, the heap in use and the process's peak resident
 * memory. Arguments {@code [size=20000] [tile=224] [stride=224] [block=448] [batch=64] [json=FILE]}; run with
 * {@code -Xmx1g}.
 */
public final class LabelMapBenchmark {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		long size = Long.parseLong(a.getOrDefault("size", "20000"));
		int tile = Integer.parseInt(a.getOrDefault("tile", "224"));
		int stride = Integer.parseInt(a.getOrDefault("stride", "" + tile));
		int block = Integer.parseInt(a.getOrDefault("block", "448"));
		int batch = Integer.parseInt(a.getOrDefault("batch", "64"));
		List<String> colours = ColourModel.COLOURS;
		int[] rgb = new int[colours.size()];
		for (int i = 0; i < rgb.length; i++) rgb[i] = ColourModel.rgb(colours.get(i));
		FunctionRandomAccessible<ARGBType> mosaic = new FunctionRandomAccessible<>(2, (Localizable p, ARGBType out) -> {
			out.set(0xff000000 | rgb[colour(p.getLongPosition(0) / block, p.getLongPosition(1) / block, rgb.length)]);
		}, ARGBType::new);
		RandomAccessibleInterval<ARGBType> image = Views.interval(mosaic, new long[2], new long[] { size - 1, size - 1 });
		try (ClipModel model = ModelFiles.load(ColourModel.file(), Device.cpu());
			ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(colours)))
		{
			long[] inside = new long[2];
			long t0 = System.nanoTime();
			long[] last = { t0 };
			TileLabeller.Result r = new TileLabeller(classifier, tile, stride, batch, new ProgressListener() {
				@Override
				public void progress(long done, long total) {
					if (System.nanoTime() - last[0] > 10e9) {
						last[0] = System.nanoTime();
						System.out.printf(Locale.ROOT, "label-map: %d/%d tiles%n", done, total);
					}
				}
			}).label("mosaic", List.of(new ArgbPlane(image, 1, 1, 1)), (plane, i, x, y, row) -> {
				long bx = x / block, by = y / block;
				if ((x + tile - 1) / block == bx && (y + tile - 1) / block == by) {
					inside[0]++;
					if (row.label().equals(colours.get(colour(bx, by, rgb.length)))) inside[1]++;
				}
			});
			double seconds = (System.nanoTime() - t0) / 1e9;
			LabelMap map = r.maps().get(0);
			Runtime rt = Runtime.getRuntime();
			System.out.printf(Locale.ROOT, "label-map: %d x %d RGB (procedural), tile %d, stride %d, batch %d, %d threads: "
				+ "%d tiles in %.1f s = %.1f tiles/s; tiles inside one square right: %d/%d (%.2f %%); map %d x %d cells; heap "
				+ "used %d MB of %d MB max; peak resident %s%n", size, size, tile, stride, batch,
				sc.fiji.clip.engine.ClipEngine.threads(), map.grid().count(), seconds, map.grid().count() / seconds, inside[1],
				inside[0], 100.0 * inside[1] / inside[0], map.grid().cellsX(), map.grid().cellsY(),
				(rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20, peakResident());
			Map<String, Object> result = new java.util.LinkedHashMap<>();
			result.put("size", size);
			result.put("tile", tile);
			result.put("stride", stride);
			result.put("tiles", map.grid().count());
			result.put("seconds", seconds);
			result.put("tiles_per_s", map.grid().count() / seconds);
			result.put("inside_right", inside[1]);
			result.put("inside", inside[0]);
			result.put("max_heap_mb", rt.maxMemory() >> 20);
			result.put("peak_resident_mb", peakResidentKb() / 1024);
			Bench.finish(a, "label_map", result);
		}
	}

	/** The colour of square (bx, by): a hash, so neighbours differ often. */
	static int colour(long bx, long by, int n) {
		long h = bx * 73856093L ^ by * 19349663L;
		return (int) Math.floorMod(h, n);
	}

	private static long peakResidentKb() throws Exception {
		return Long.parseLong(peakResident().replace("kB", "").trim());
	}

	private static String peakResident() throws Exception {
		for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
			if (line.startsWith("VmHWM:")) return line.substring(6).trim();
		}
		return "unknown";
	}
}
