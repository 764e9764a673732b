package sc.fiji.clip.bench;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import sc.fiji.clip.search.EmbeddingMatrix;
import sc.fiji.clip.search.ExactSearch;
import sc.fiji.clip.search.MatrixOutput;

/**
 * Exact search latency over memory-mapped matrices of random unit rows (512 wide, as ViT-B/32's embeddings) at 10⁵
 * and 10⁶ rows: a warm-up query, then the median and 90th percentile of {@code queries} queries for the top 10, and
 * the heap used. Arguments {@code [rows=100000,1000000] [dim=512] [queries=20] [threads=2] [work=bench/work/search]}.
 * The matrices are written once and kept (2 GB for 10⁶ rows).
 */
public final class SearchBenchmark {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int dim = Integer.parseInt(a.getOrDefault("dim", "512"));
		int queries = Integer.parseInt(a.getOrDefault("queries", "20"));
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		Path work = Files.createDirectories(Paths.get(a.getOrDefault("work", "bench/work/search")));
		List<Map<String, Object>> results = new ArrayList<>();
		for (String n : a.getOrDefault("rows", "100000,1000000").split(",")) {
			long rows = Long.parseLong(n);
			List<List<Long>> exact = measure(work, rows, dim, false, queries, threads, null, results);
			measure(work, rows, dim, true, queries, threads, exact, results);
		}
		Bench.finish(a, "latency", results);
	}

	/** Times the queries; returns their top rows. With {@code exact}, also prints recall@10 against those. */
	private static List<List<Long>> measure(Path work, long rows, int dim, boolean half, int queries, int threads,
		List<List<Long>> exact, List<Map<String, Object>> results) throws Exception
	{
		List<List<Long>> hits = new ArrayList<>();
		{
			Path file = work.resolve("random-" + rows + "x" + dim + (half ? "-f16" : "") + ".safetensors");
			if (!Files.exists(file)) write(file, rows, dim, half);
			try (EmbeddingMatrix matrix = EmbeddingMatrix.open(file, "embeddings")) {
				ExactSearch search = new ExactSearch(matrix, threads);
				Random random = new Random(7);
				search.top(unit(random, dim), 10);
				List<Double> seconds = new ArrayList<>();
				for (int q = 0; q < queries; q++) {
					float[] query = unit(random, dim);
					long t0 = System.nanoTime();
					List<ExactSearch.Scored> top = search.top(query, 10);
					seconds.add((System.nanoTime() - t0) / 1e9);
					List<Long> ids = new ArrayList<>();
					for (ExactSearch.Scored h : top) ids.add(h.row());
					hits.add(ids);
				}
				double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
				Runtime rt = Runtime.getRuntime();
				System.out.printf(Locale.ROOT, "search: %d x %s, %d threads: median %.3f s, p90 %.3f s per query (top 10); "
					+ "heap used %d MB%n", rows, dim + (half ? " float16" : " float32"), threads, s[s.length / 2], s[(int) Math.ceil(0.9 * s.length) - 1],
					(rt.totalMemory() - rt.freeMemory()) >> 20);
				Map<String, Object> r = new java.util.LinkedHashMap<>();
				r.put("rows", rows);
				r.put("dim", dim);
				r.put("storage", half ? "float16" : "float32");
				r.put("threads", threads);
				r.put("median_s", s[s.length / 2]);
				r.put("p90_s", s[(int) Math.ceil(0.9 * s.length) - 1]);
				if (exact != null) {
					int found = 0;
					for (int q = 0; q < queries; q++) for (Long id : hits.get(q)) if (exact.get(q).contains(id)) found++;
					System.out.printf(Locale.ROOT, "search: float16 recall@10 against float32: %.4f%n", found / (10.0 * queries));
					r.put("recall_at_10_vs_float32", found / (10.0 * queries));
				}
				results.add(r);
			}
		}
		return hits;
	}

	private static void write(Path file, long rows, int dim, boolean half) throws Exception {
		Random random = new Random(rows);
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			MatrixOutput m = new MatrixOutput(out, "embeddings", rows, dim, half, Map.of());
			for (long r = 0; r < rows; r++) m.row(unit(random, dim), 0);
			m.finish();
		}
	}

	static float[] unit(Random random, int dim) {
		float[] v = new float[dim];
		double sum = 0;
		for (int i = 0; i < dim; i++) {
			v[i] = (float) random.nextGaussian();
			sum += v[i] * v[i];
		}
		float norm = (float) Math.sqrt(sum);
		for (int i = 0; i < dim; i++) v[i] /= norm;
		return v;
	}

}
