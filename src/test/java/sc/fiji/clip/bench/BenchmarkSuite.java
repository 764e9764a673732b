package sc.fiji.clip.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every benchmark, each in its own JVM (so that start-up and peak memory are those of a fresh process), and
 * writes {@code bench/results.json} and the table {@code bench/results.md}. Run by {@code bench/run}; arguments
 * {@code [threads=2] [sections=reference,fashion-mnist,defaults,end-to-end,few-shot,large-model,startup,model-cache,memory,search] [python=bench/.venv/bin/python]
 * [reference.rounds=3] [render=true]}
 * ({@code render=true}: only turn the sections' {@code bench/work/SECTION.json} from earlier runs into the tables) and any {@code fashion-mnist.KEY=VALUE} or {@code few-shot.KEY=VALUE}, passed on as {@code KEY=VALUE} to {@link FashionMnistBenchmark} or {@link FewShotTransfer}.
 */
public final class BenchmarkSuite {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		String threads = a.getOrDefault("threads", "2");
		List<String> all = List.of("reference", "fashion-mnist", "defaults", "end-to-end", "few-shot", "large-model", "startup",
			"model-cache", "memory", "search");
		List<String> sections = Arrays.asList(a.getOrDefault("sections", String.join(",", all)).split(","));
		Path work = Files.createDirectories(Paths.get("bench/work"));
		JsonObject results = new JsonObject();
		results.add("machine", GSON.toJsonTree(machine(threads)));
		keepEarlierSections(results, all, sections);
		for (String section : sections) {
			long t0 = System.nanoTime();
			System.out.println("== " + section + " ==");
			Path json = work.resolve(section + ".json");
			boolean render = Boolean.parseBoolean(a.getOrDefault("render", "false"));
			if (!render) Files.deleteIfExists(json);
			switch (render ? "render" : section) {
				case "render": // the section's bench/work/SECTION.json from a run of its own, into the tables
					break;
				case "reference":
					Path reference = work.resolve("reference").resolve("results.json");
					Files.deleteIfExists(reference);
					child(work, section, "sc.fiji.clip.bench.ReferenceComparison", "--threads", threads, "--python",
						a.getOrDefault("python", "bench/.venv/bin/python"), "--rounds", a.getOrDefault("reference.rounds", "3"),
						"--profile", "--out", reference.toString());
					if (Files.exists(reference)) {
						JsonObject wrapped = new JsonObject();
						wrapped.add("reference", JsonParser.parseString(Files.readString(reference)));
						Files.writeString(json, GSON.toJson(wrapped));
					}
					break;
				case "fashion-mnist":
					child(work, section, "sc.fiji.clip.bench.FashionMnistBenchmark", forwarded(a, section, "threads=" + threads,
						"json=" + json));
					break;
				case "defaults":
					child(work, section, "sc.fiji.clip.bench.DefaultsStudy", "threads=" + threads, "json=" + json);
					break;
				case "end-to-end":
					child(work, section, "sc.fiji.clip.bench.EndToEnd", "threads=" + threads, "python=" + a.getOrDefault("python",
						"bench/.venv/bin/python"), "json=" + json);
					break;
				case "few-shot":
					child(work, section, "sc.fiji.clip.bench.FewShotTransfer", forwarded(a, section, "threads=" + threads,
						"python=" + a.getOrDefault("python", "bench/.venv/bin/python"), "json=" + json));
					break;
				case "large-model":
					child(work, section, "sc.fiji.clip.bench.LargeModelCost", "threads=" + threads, "json=" + json);
					break;
				case "startup":
					startup(work, threads, json);
					break;
				case "model-cache":
					child(work, section, "sc.fiji.clip.bench.ModelCacheBenchmark", "threads=" + threads, "calls=10", "json=" + json);
					break;
				case "memory":
					child(work, section, "sc.fiji.clip.bench.MemoryOverLongRun", "json=" + json);
					break;
				case "search":
					search(work, threads, json);
					break;
				default:
					throw new IllegalArgumentException("Unknown section '" + section + "'.");
			}
			if (Files.exists(json)) {
				JsonObject part = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
				for (Map.Entry<String, JsonElement> e : part.entrySet()) results.add(e.getKey(), e.getValue());
			} else {
				results.addProperty(section, "failed: see bench/work/" + section + ".log");
			}
			System.out.printf(Locale.ROOT, "== %s done in %.0f s ==%n", section, (System.nanoTime() - t0) / 1e9);
		}
		Files.writeString(Paths.get("bench/results.json"), GSON.toJson(results) + "\n");
		Files.writeString(Paths.get("bench/results.md"), ResultsTable.markdown(results));
		System.out.println("Wrote bench/results.json and bench/results.md");
	}

	/** {@code base} and, as {@code KEY=VALUE}, every {@code SECTION.KEY=VALUE} the suite was given for {@code section}. */
	private static String[] forwarded(Map<String, String> a, String section, String... base) {
		List<String> args = new ArrayList<>(List.of(base));
		a.forEach((k, v) -> {
			if (k.startsWith(section + ".")) args.add(k.substring(section.length() + 1) + "=" + v);
		});
		return args.toArray(new String[0]);
	}

	/**
	 * A run of some sections keeps the other sections of the previous {@code bench/results.json}, each with the
	 * machine entry it was measured under ({@code earlier_runs}: groups of sections by run), so that one section can
	 * be measured again without the rest.
	 */
	static void keepEarlierSections(JsonObject results, List<String> all, List<String> sections) throws IOException {
		Path previous = Paths.get("bench/results.json");
		if (sections.containsAll(all) || !Files.exists(previous)) return;
		keepEarlierSections(results, JsonParser.parseString(Files.readString(previous)).getAsJsonObject(), all, sections);
	}

	static void keepEarlierSections(JsonObject results, JsonObject old, List<String> all, List<String> sections) {
		Map<String, JsonObject> runs = new LinkedHashMap<>();
		for (String section : all) {
			if (sections.contains(section) || !old.has(section)) continue;
			results.add(section, old.get(section));
			JsonElement machine = machineOf(old, section);
			JsonObject run = runs.computeIfAbsent(machine.toString(), k -> {
				JsonObject r = new JsonObject();
				r.add("sections", new JsonArray());
				r.add("machine", machine);
				return r;
			});
			run.getAsJsonArray("sections").add(section);
		}
		if (runs.isEmpty()) return;
		JsonArray earlier = new JsonArray();
		runs.values().forEach(earlier::add);
		results.add("earlier_runs", earlier);
	}

	/**
	 * The earlier runs whose sections a results file kept, each {@code {sections, machine}}: {@code earlier_runs},
	 * and {@code earlier_run} as files before it had one entry per run wrote it.
	 */
	static JsonArray earlierRuns(JsonObject results) {
		JsonArray runs = new JsonArray();
		if (results.has("earlier_runs")) runs.addAll(results.getAsJsonArray("earlier_runs"));
		if (results.has("earlier_run")) runs.add(results.get("earlier_run"));
		return runs;
	}

	/** The machine entry a section of an earlier results file was measured under. */
	private static JsonElement machineOf(JsonObject old, String section) {
		for (JsonElement run : earlierRuns(old)) {
			if (run.getAsJsonObject().getAsJsonArray("sections").contains(new JsonPrimitive(section))) {
				return run.getAsJsonObject().get("machine");
			}
		}
		return old.get("machine");
	}

	/**
	 * Search and label maps, each in a fresh JVM: exact-search latency at 10⁵ and 10⁶ rows, index speed and text-search
	 * precision@10 on the demo shapes (seeds 1, 2), and the label map of a procedural 20 000 x 20 000 image at strides
	 * 224 and 112 with a 1 GB heap (so its peak memory is its own).
	 */
	private static void search(Path work, String threads, Path json) throws Exception {
		JsonObject search = new JsonObject();
		Path part = work.resolve("search-part.json");
		String[][] runs = { { "sc.fiji.clip.bench.SearchBenchmark", "8g" }, { "sc.fiji.clip.bench.SearchPrecision", "2g" },
			{ "sc.fiji.clip.bench.LabelMapBenchmark", "1g", "stride=224" }, { "sc.fiji.clip.bench.LabelMapBenchmark", "1g", "stride=112" } };
		JsonArray maps = new JsonArray();
		for (String[] run : runs) {
			Files.deleteIfExists(part);
			List<String> args = new ArrayList<>(List.of("threads=" + threads, "json=" + part));
			args.addAll(Arrays.asList(run).subList(2, run.length));
			childWithHeap(work, "search-" + maps.size() + "-" + run[0].substring(run[0].lastIndexOf('.') + 1), run[1], run[0], args.toArray(new String[0]));
			if (!Files.exists(part)) return;
			for (Map.Entry<String, JsonElement> e : JsonParser.parseString(Files.readString(part)).getAsJsonObject().entrySet()) {
				if (e.getKey().equals("label_map")) maps.add(e.getValue());
				else search.add(e.getKey(), e.getValue());
			}
		}
		search.add("label_map", maps);
		JsonObject wrapped = new JsonObject();
		wrapped.add("search", search);
		Files.writeString(json, GSON.toJson(wrapped));
	}

	/** Runs {@code main} in a fresh JVM with this one's class path, echoing and logging its output. */
	private static int child(Path work, String section, String main, String... args) throws Exception {
		return childWithHeap(work, section, "8g", main, args);
	}

	/** As {@link #child(Path, String, String, String...)} with a heap of {@code heap} ({@code -Xmx}). */
	private static int childWithHeap(Path work, String section, String heap, String main, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-Djava.awt.headless=true", "-Dai.djl.offline=true",
			"--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main));
		command.addAll(Arrays.asList(args));
		return run(command, work.resolve(section + ".log"));
	}

	private static int run(List<String> command, Path log) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
		Process p = pb.start();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
			PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8))
		{
			for (String line; (line = in.readLine()) != null;) {
				if (line.contains("WARNING")) continue;
				System.out.println("  " + line);
				out.println(line);
			}
		}
		return p.waitFor();
	}

	/**
	 * Start-up to first label: {@code fiji-clip label} on one image with the ViT-B/32-shaped model, as a user runs
	 * it, timed by {@code /usr/bin/time} (wall seconds and peak resident memory); the median of three runs.
	 */
	private static void startup(Path work, String threads, Path json) throws Exception {
		Path model = work.resolve("vit-b-32.zip");
		LargeModelCost.ensureModel(model);
		Path image = work.resolve("startup.png");
		java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < 480; y++) for (int x = 0; x < 640; x++) rgb.setRGB(x, y, (x * 7) ^ (y * 13));
		javax.imageio.ImageIO.write(rgb, "png", image.toFile());
		List<double[]> runs = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Path timing = work.resolve("startup.time");
			int rc = run(List.of("/usr/bin/time", "-o", timing.toString(), "-f", "%e %M", "./fiji-clip", "label", "--model",
				model.toString(), "--labels", String.join(",", Bench.TEN_LABELS), "--threads", threads, image.toString()),
				work.resolve("startup.log"));
			if (rc != 0) return;
			String[] t = Files.readAllLines(timing).get(Files.readAllLines(timing).size() - 1).trim().split(" ");
			runs.add(new double[] { Double.parseDouble(t[0]), Double.parseDouble(t[1]) / 1024 });
		}
		runs.sort((x, y) -> Double.compare(x[0], y[0]));
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("command", "fiji-clip label --model vit-b-32.zip --labels <10 labels> one 640x480 PNG");
		r.put("seconds_to_first_label", runs.get(1)[0]);
		r.put("peak_rss_mb", runs.get(1)[1]);
		r.put("runs_seconds", runs.stream().mapToDouble(x -> x[0]).toArray());
		Files.writeString(json, GSON.toJson(Map.of("startup", r)));
	}

	private static Map<String, Object> machine(String threads) throws IOException {
		Map<String, Object> m = new LinkedHashMap<>();
		String cpu = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
			.map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
		m.put("cpu", cpu);
		m.put("cores", Runtime.getRuntime().availableProcessors());
		m.put("threads", Integer.parseInt(threads));
		m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		m.put("date", Instant.now().toString());
		m.put("commit", git("rev-parse", "--short", "HEAD"));
		m.put("load_average_at_start", Files.readString(Paths.get("/proc/loadavg")).trim());
		return m;
	}

	private static String git(String... args) {
		try {
			List<String> command = new ArrayList<>(List.of("git"));
			command.addAll(Arrays.asList(args));
			Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return p.waitFor() == 0 ? out : "unknown";
		} catch (IOException | InterruptedException e) {
			return "unknown";
		}
	}

	private static String java() {
		return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
	}
}
