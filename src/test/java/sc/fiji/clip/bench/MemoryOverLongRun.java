package sc.fiji.clip.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.train.LongRunMemoryBenchmark;

/**
 * Resident memory over 10 000 training steps of {@code tiny} and 100 000 labelled images: the growth after warm-up
 * as {@link LongRunMemoryBenchmark#growthPercent} measures it (and LongRunMemoryTest checks it). Not a unit test:
 * {@code java -cp ... sc.fiji.clip.bench.MemoryOverLongRun [steps=10000] [images=100000] [json=FILE]}.
 */
public final class MemoryOverLongRun {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int steps = Integer.parseInt(a.getOrDefault("steps", "10000"));
		int images = Integer.parseInt(a.getOrDefault("images", "100000"));
		List<Long> rss = LongRunMemoryBenchmark.run(steps, images);
		int half = rss.size() / 2;
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("training_steps", steps);
		r.put("labelled_images", images);
		r.put("training_rss_mb", rss.subList(0, half).stream().map(k -> k / 1024.0).toArray());
		r.put("labelling_rss_mb", rss.subList(half, rss.size()).stream().map(k -> k / 1024.0).toArray());
		r.put("training_growth_percent", LongRunMemoryBenchmark.growthPercent(rss.subList(0, half)));
		r.put("labelling_growth_percent", LongRunMemoryBenchmark.growthPercent(rss.subList(half, rss.size())));
		Bench.finish(a, "memory", r);
	}
}
