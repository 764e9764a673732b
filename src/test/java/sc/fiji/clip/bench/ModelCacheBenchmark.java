package sc.fiji.clip.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scijava.Context;
import org.scijava.command.CommandService;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.fiji.ClipService;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.fiji.macro.MacroCommandBridge;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.io.ModelCache;

/**
 * What the model cache saves a macro: one macro calls Label Images… on one 224×224 RGB image {@code calls} times
 * with a ViT-B/32-shaped model (random weights), with the cache off (budget 0: a load per call, as before the cache)
 * and on (the default budget). Prints the first call's time and the mean of the others. Not a unit test: {@code java
 * -cp ... sc.fiji.clip.bench.ModelCacheBenchmark [threads=2] [calls=10] [model=bench/work/vit-b-32.zip] [json=FILE]};
 * the model file is made when missing.
 */
public final class ModelCacheBenchmark {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		int calls = Integer.parseInt(a.getOrDefault("calls", "10"));
		Path file = Paths.get(a.getOrDefault("model", "bench/work/vit-b-32.zip"));
		HeadlessImageJ.boot();
		ClipEngine.setThreads(threads);
		java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
		LargeModelCost.ensureModel(file.toAbsolutePath());
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("threads", threads);
		r.put("calls", calls);
		run(file, 1, 0); // warm-up: the engine's start is in no measured call
		r.put("cache_off", run(file, calls, 0));
		r.put("cache_on", run(file, calls, ModelCache.defaultBudget()));
		r.put("peak_rss_mb", Bench.peakRssMb());
		Bench.finish(a, "model-cache", r);
	}

	/** Times {@code calls} runs of Label Images… in one macro with a cache of {@code budget} bytes. */
	private static Map<String, Object> run(Path model, int calls, long budget) {
		try (Context context = new Context(CommandService.class, ClipService.class)) {
			ClipService clip = context.service(ClipService.class);
			clip.cache().setBudget(budget);
			MacroRunner runner = new MacroRunner(context);
			String label = "run('Label Images...', 'model=[" + model.toAbsolutePath() + "] images=[current image] folder=[] "
				+ "labels=[" + String.join(",", Bench.TEN_LABELS) + "] topk=1 slicelabels=false device=cpu results=true');\n";
			StringBuilder macro = new StringBuilder("setBatchMode(true); newImage('one', 'RGB noise', 224, 224, 1);\n"
				+ "times = '';\n");
			for (int i = 0; i < calls; i++) macro.append("t0 = getTime();\n").append(label).append("times = times + (getTime() - t0) + ' ';\n");
			macro.append("return times;");
			MacroRunner.Result result = runner.run(macro.toString(), null);
			if (!result.success()) throw new IllegalStateException(result.toString());
			String[] ms = result.returnValue().trim().split(" ");
			double rest = 0;
			for (int i = 1; i < ms.length; i++) rest += Double.parseDouble(ms[i]) / 1000;
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("budget_mb", budget >> 20);
			r.put("first_s", Double.parseDouble(ms[0]) / 1000);
			r.put("mean_of_others_s", ms.length > 1 ? rest / (ms.length - 1) : Double.NaN);
			r.put("loads", clip.cache().loads());
			System.err.printf("cache %s: first call %.2f s, mean of the other %d %.3f s, %d loads%n",
				budget == 0 ? "off" : "on (" + (budget >> 20) + " MB)", Double.parseDouble(ms[0]) / 1000, ms.length - 1,
				ms.length > 1 ? rest / (ms.length - 1) : Double.NaN, clip.cache().loads());
			MacroCommandBridge.uninstall(context);
			return r;
		}
	}
}
