package sc.fiji.clip.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the benchmark mains share: {@code key=value} arguments, peak memory, their JSON result, Python children. */
final class Bench {

	/** Ten everyday labels for labelling benchmarks. */
	static final List<String> TEN_LABELS = List.of("a cat", "a dog", "a car", "a cell", "a nucleus", "a tree",
		"a house", "a bird", "a flower", "a boat");

	private Bench() {}

	static Map<String, String> arguments(String[] args) {
		Map<String, String> a = new LinkedHashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (eq < 1) throw new IllegalArgumentException("Arguments are key=value, not '" + arg + "'.");
			a.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		return a;
	}

	/** The process's peak resident memory (VmHWM) in MB. */
	static double peakRssMb() throws IOException {
		for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
			if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
		}
		return Double.NaN;
	}

	/**
	 * Runs a Python child (a PyTorch reference) with {@code threads} OpenMP/MKL threads and a passive wait policy unless
	 * the environment sets one, its output in {@code log}, and returns what it wrote to {@code out}.
	 */
	static String runPython(List<String> command, Path log, Path out, int threads) throws IOException, InterruptedException {
		Files.deleteIfExists(out);
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		Map<String, String> env = pb.environment();
		env.put("OMP_NUM_THREADS", Integer.toString(threads));
		env.put("MKL_NUM_THREADS", Integer.toString(threads));
		env.put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE"));
		int code = pb.start().waitFor();
		if (code != 0 || !Files.exists(out)) {
			throw new IllegalStateException("Python failed (exit " + code + "): " + String.join(" ", command) + "\n"
				+ (Files.exists(log) ? Files.readString(log) : ""));
		}
		return Files.readString(out);
	}

	/** Prints the result and, with {@code json=FILE}, writes it there as {@code {"<name>": result}}. */
	static void finish(Map<String, String> a, String name, Object result) throws IOException {
		String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
			.toJson(Map.of(name, result));
		System.out.println(json);
		if (a.containsKey("json")) Files.write(Path.of(a.get("json")), json.getBytes(StandardCharsets.UTF_8));
	}
}
