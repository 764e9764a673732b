package sc.fiji.clip.bench;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sc.fiji.clip.cli.FijiClipCli;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.search.EmbeddingIndex;
import sc.fiji.clip.search.IndexSearch;
import sc.fiji.clip.search.IndexSummary;
import sc.fiji.clip.search.Indexer;
import sc.fiji.clip.search.Query;
import sc.fiji.clip.search.SearchHit;

/**
 * Text search over the demo's coloured shapes, as a user runs it: {@code fiji-clip demo} trains the model on 4 000
 * images, the images are indexed ({@code fiji-clip index}'s {@link Indexer}: images/s), and every colour, shape and
 * colour-shape query is searched. Prints precision@10: the fraction of the ten hits whose file name has the colour,
 * the shape, or both. Arguments {@code [work=bench/work/search-precision] [seeds=1,2] [threads=2] [json=FILE]}.
 */
public final class SearchPrecision {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		Path work = Paths.get(a.getOrDefault("work", "bench/work/search-precision"));
		List<Map<String, Object>> results = new java.util.ArrayList<>();
		for (String seed : a.getOrDefault("seeds", "1,2").split(",")) results.add(run(a, work, seed));
		Bench.finish(a, "precision", results);
	}

	private static Map<String, Object> run(Map<String, String> a, Path work, String seed) throws Exception {
		Path demo = work.resolve("demo-" + seed);
		if (!Files.exists(demo.resolve("shapes-model.zip"))) {
			int code = FijiClipCli.run("demo", "--out", demo.toString(), "--seed", seed, "--threads", a.getOrDefault("threads", "2"));
			if (code != 0) throw new IllegalStateException("demo failed: " + code);
		}
		Path model = demo.resolve("shapes-model.zip");
		Path index = work.resolve("index-" + seed);
		try (ClipModel clip = ModelFiles.load(model, Device.cpu())) {
			if (Files.exists(index)) {
				try (java.util.stream.Stream<Path> all = Files.walk(index)) {
					for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) Files.delete(p);
				}
			}
			IndexSummary summary = Indexer.builder(clip, model).build().update(index, List.of(demo.resolve("data/images")));
			System.out.printf(Locale.ROOT, "search-precision: indexed %d planes in %.1f s, %.0f images/s%n", summary.rows(),
				summary.seconds(), summary.planesPerSecond());
			try (EmbeddingIndex opened = EmbeddingIndex.open(index)) {
				IndexSearch search = new IndexSearch(opened, clip, 0);
				double colour = 0, shape = 0, both = 0;
				for (String c : ShapesDataset.COLORS) colour += precision(search, c, "_" + c + "_");
				for (String s : ShapesDataset.SHAPES) shape += precision(search, "a " + s, "_" + s + ".");
				for (String c : ShapesDataset.COLORS) {
					for (String s : ShapesDataset.SHAPES) both += precision(search, "a " + c + " " + s, "_" + c + "_" + s + ".");
				}
				Map<String, Object> r = new java.util.LinkedHashMap<>();
				r.put("seed", Integer.parseInt(seed));
				r.put("images", summary.rows());
				r.put("index_images_per_s", summary.planesPerSecond());
				r.put("colour", colour / ShapesDataset.COLORS.size());
				r.put("shape", shape / ShapesDataset.SHAPES.size());
				r.put("colour_and_shape", both / (ShapesDataset.COLORS.size() * ShapesDataset.SHAPES.size()));
				System.out.printf(Locale.ROOT, "search-precision: seed %s precision@10: colour %.3f (%d queries), shape %.3f "
					+ "(%d), colour and shape %.3f (%d)%n", seed, colour / ShapesDataset.COLORS.size(), ShapesDataset.COLORS.size(),
					shape / ShapesDataset.SHAPES.size(), ShapesDataset.SHAPES.size(),
					both / (ShapesDataset.COLORS.size() * ShapesDataset.SHAPES.size()), ShapesDataset.COLORS.size() * ShapesDataset.SHAPES.size());
				return r;
			}
		}
	}

	private static double precision(IndexSearch search, String text, String fileNamePart) {
		List<SearchHit> hits = search.search(new Query().text(text), 10);
		int right = 0;
		for (SearchHit h : hits) if (h.plane().file().getFileName().toString().contains(fileNamePart)) right++;
		return right / 10.0;
	}
}
