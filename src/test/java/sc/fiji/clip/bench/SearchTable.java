package sc.fiji.clip.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Locale;

/** The {@code search} section of {@code bench/results.md}: search latency, text-search precision, label maps. */
final class SearchTable {

	private SearchTable() {}

	static void markdown(StringBuilder md, JsonElement e) {
		md.append("\n## Search and label maps\n\n");
		if (e == null || !e.isJsonObject()) {
			md.append("Not run or failed: ").append(e).append("\n");
			return;
		}
		JsonObject s = e.getAsJsonObject();
		md.append("Exact search (`SearchBenchmark`): random unit rows, 20 queries after a warm-up, top 10, the matrix in the "
			+ "page cache. Target: 0.2 s per query at 10⁶ on 2 cores.\n\n| rows | width | storage | threads | median s/query | "
			+ "p90 s/query | recall@10 against float32 |\n|---|---|---|---|---|---|---|\n");
		for (JsonElement r : s.getAsJsonArray("latency")) {
			JsonObject o = r.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| %,d | %d | %s | %d | %.3f | %.3f | %s |%n", o.get("rows").getAsLong(),
				o.get("dim").getAsInt(), o.get("storage").getAsString(), o.get("threads").getAsInt(), o.get("median_s").getAsDouble(),
				o.get("p90_s").getAsDouble(), o.has("recall_at_10_vs_float32")
					? String.format(Locale.ROOT, "%.3f", o.get("recall_at_10_vs_float32").getAsDouble()) : ""));
		}
		md.append("\nText search on the demo shapes (`SearchPrecision`): `fiji-clip demo` trains on 4 000 coloured shapes, "
			+ "the images are indexed, and 29 text queries run (5 colours, 4 shapes, 20 colour-shape pairs); precision@10 is "
			+ "the fraction of the ten hits whose file name has the colour, the shape or both. Every training caption of a "
			+ "shape names its colour too, which is why shape alone is weaker.\n\n| seed | images | index images/s | colour | "
			+ "shape | colour and shape |\n|---|---|---|---|---|---|\n");
		for (JsonElement r : s.getAsJsonArray("precision")) {
			JsonObject o = r.getAsJsonObject();
			md.append(String.format(Locale.ROOT, "| %d | %,d | %.0f | %.3f | %.3f | %.3f |%n", o.get("seed").getAsInt(),
				o.get("images").getAsLong(), o.get("index_images_per_s").getAsDouble(), o.get("colour").getAsDouble(),
				o.get("shape").getAsDouble(), o.get("colour_and_shape").getAsDouble()));
		}
		md.append("\nLabel map of an image larger than the heap (`LabelMapBenchmark`, `-Xmx1g`): a procedural RGB mosaic "
			+ "(an ImgLib2 `FunctionRandomAccessible`, never held in memory) of 448-px squares in the colour model's four "
			+ "colours, labelled by the colour model (its input is small, so this is mostly tiling, preprocessing and the "
			+ "pipeline).\n\n| image | tile | stride | tiles | seconds | tiles/s | tiles inside one square right | peak "
			+ "resident (whole JVM) |\n|---|---|---|---|---|---|---|---|\n");
		for (JsonElement r : s.getAsJsonArray("label_map")) {
			JsonObject o = r.getAsJsonObject();
			long size = o.get("size").getAsLong();
			md.append(String.format(Locale.ROOT, "| %,d x %,d | %d | %d | %,d | %.1f | %.0f | %d / %d | %d MB |%n", size, size,
				o.get("tile").getAsInt(), o.get("stride").getAsInt(), o.get("tiles").getAsLong(), o.get("seconds").getAsDouble(),
				o.get("tiles_per_s").getAsDouble(), o.get("inside_right").getAsLong(), o.get("inside").getAsLong(),
				o.get("peak_resident_mb").getAsLong()));
		}
	}
}
