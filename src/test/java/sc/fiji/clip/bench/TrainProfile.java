package sc.fiji.clip.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sc.fiji.clip.engine.SharedGradients;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ContrastiveLoss;
import sc.fiji.clip.train.AdamW;
import sc.fiji.clip.train.TrainingOptions;

/**
 * Where a train step's time goes, measured the same way on both sides: libtorch's profiler records every ATen
 * operator of 3 steps (after 2 warm-up steps), split into forward, backward and optimizer. From the traces: operators
 * per step (all, and the top-level ones, i.e. those called from Java or Python rather than from inside another
 * operator), the time spent inside top-level operators, and the rest of the phase's wall time, spent outside libtorch's
 * operators (Java, JNI, DJL's bookkeeping; or the Python interpreter). On the Java side also the NDArrays a step
 * creates in its scope.
 */
final class TrainProfile {

	static final List<String> PHASES = List.of("forward", "backward", "optimizer");
	static final int WARMUP = 2, STEPS = 3;

	private TrainProfile() {}

	/** One profiled operator (or annotation): name, start and duration in microseconds, thread. */
	static final class Event {
		/** the thread, qualified by the trace file: times of different files are not comparable */
		final String name, tid, cat;
		final double ts, dur;
		double children;
		int depth;

		Event(String name, double ts, double dur, String tid, String cat) {
			this.name = name;
			this.ts = ts;
			this.dur = dur;
			this.tid = tid;
			this.cat = cat;
		}

		double end() {
			return ts + dur;
		}
	}

	/** The Java side: profiles each phase separately with DJL's {@code JniUtils.startProfile}. */
	static JsonObject java(Path modelFile, ReferenceComparison.Inputs in, Path dir) throws IOException {
		Files.createDirectories(dir);
		TrainingOptions recipe = TrainingOptions.builder().build();
		float lr = (float) recipe.learningRate(), wd = (float) recipe.weightDecay();
		Map<String, List<Event>> events = new LinkedHashMap<>();
		Map<String, Double> wall = new LinkedHashMap<>();
		for (String p : PHASES) {
			events.put(p, new ArrayList<>());
			wall.put(p, 0.0);
		}
		long arrays = 0;
		int tensors;
		try (ClipModel model = ModelFiles.load(modelFile, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			tensors = parameters.size();
			int size = model.imageSize();
			for (int s = 0; s < WARMUP + STEPS; s++) {
				boolean on = s >= WARMUP;
				try (NDManager scope = model.newScope()) {
					NDArray x = scope.create(in.pixels, new Shape(in.n, 3, size, size));
					NDArray targets = ContrastiveLoss.targets(in.positives, scope);
					try (GradientCollector collector = SharedGradients.open()) {
						long t0 = start(on);
						NDArray loss = ContrastiveLoss.compute(model, model.encodeImages(x), model.encodeTexts(in.captions, scope),
							targets);
						stop(on, t0, dir, "forward", s, events, wall);
						t0 = start(on);
						collector.backward(loss);
						loss.getFloat();
						stop(on, t0, dir, "backward", s, events, wall);
					}
					if (on) arrays += scope.getManagedArrays().size();
					long t0 = start(on);
					adam.step(parameters, lr, wd);
					stop(on, t0, dir, "optimizer", s, events, wall);
				}
			}
			model.weights().setTrainable(false);
		}
		JsonObject r = summarise(events, wall);
		r.addProperty("ndarrays_in_step_scope", arrays / (double) STEPS);
		r.addProperty("parameter_tensors", tensors);
		r.addProperty("note", "optimizer: per tensor getGradient, one fused adamUpdate call, zeroGrad, close");
		return r;
	}

	private static long start(boolean on) {
		if (on) JniUtils.startProfile(false, false, false);
		return System.nanoTime();
	}

	private static void stop(boolean on, long t0, Path dir, String phase, int step, Map<String, List<Event>> events,
		Map<String, Double> wall) throws IOException
	{
		if (!on) return;
		double ms = (System.nanoTime() - t0) / 1e6;
		Path file = dir.resolve("java-" + phase + "-" + step + ".json");
		JniUtils.stopProfile(file.toString());
		wall.merge(phase, ms, Double::sum);
		events.get(phase).addAll(read(file));
	}

	/** The Python side: a Kineto trace with {@code phase::NAME} annotations around each phase. */
	static JsonObject python(Path trace) throws IOException {
		List<Event> all = read(trace);
		Map<String, List<Event>> events = new LinkedHashMap<>();
		Map<String, Double> wall = new LinkedHashMap<>();
		for (String p : PHASES) {
			events.put(p, new ArrayList<>());
			wall.put(p, 0.0);
		}
		List<Event> phases = new ArrayList<>();
		for (Event e : all) {
			if (e.name.startsWith("phase::")) {
				phases.add(e);
				wall.merge(e.name.substring(7), e.dur / 1000, Double::sum);
			}
		}
		for (Event e : all) {
			if (e.name.startsWith("phase::") || "user_annotation".equals(e.cat) && !e.name.startsWith("aten::")) continue;
			for (Event p : phases) {
				if (p.tid.equals(e.tid) && e.ts >= p.ts - 0.01 && e.end() <= p.end() + 0.01) {
					events.get(p.name.substring(7)).add(e);
					break;
				}
			}
		}
		return summarise(events, wall);
	}

	/** Per phase and step: wall ms, operators (all, ATen, top-level), ms inside top-level operators, the busiest ops. */
	private static JsonObject summarise(Map<String, List<Event>> events, Map<String, Double> wall) {
		JsonObject r = new JsonObject();
		r.addProperty("steps", STEPS);
		for (String phase : PHASES) {
			List<Event> list = events.get(phase);
			nest(list);
			int aten = 0, top = 0;
			double inside = 0;
			Map<String, double[]> self = new HashMap<>();
			Map<String, Integer> topByName = new TreeMap<>();
			for (Event e : list) {
				if (e.name.startsWith("aten::")) aten++;
				if (e.depth == 0) {
					top++;
					inside += e.dur;
					topByName.merge(e.name, 1, Integer::sum);
				}
				double[] s = self.computeIfAbsent(e.name, k -> new double[2]);
				s[0]++;
				s[1] += Math.max(0, e.dur - e.children);
			}
			JsonObject p = new JsonObject();
			double w = wall.get(phase) / STEPS;
			p.addProperty("wall_ms", w);
			p.addProperty("events", list.size() / (double) STEPS);
			p.addProperty("aten_ops", aten / (double) STEPS);
			p.addProperty("top_level_ops", top / (double) STEPS);
			p.addProperty("inside_top_level_ops_ms", inside / 1000 / STEPS);
			p.addProperty("outside_ops_ms", w - inside / 1000 / STEPS);
			JsonArray busiest = new JsonArray();
			self.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1]))
				.limit(8).forEach(e -> {
					JsonObject o = new JsonObject();
					o.addProperty("op", e.getKey());
					o.addProperty("count", e.getValue()[0] / STEPS);
					o.addProperty("self_ms", e.getValue()[1] / 1000 / STEPS);
					busiest.add(o);
				});
			p.add("busiest_by_self_time", busiest);
			JsonObject byName = new JsonObject();
			topByName.forEach((name, count) -> byName.addProperty(name, count / (double) STEPS));
			p.add("top_level_ops_by_name", byName);
			r.add(phase, p);
		}
		return r;
	}

	/** Sets each event's nesting depth and the time of its direct children, per thread. */
	private static void nest(List<Event> list) {
		Map<String, List<Event>> byThread = new HashMap<>();
		for (Event e : list) byThread.computeIfAbsent(e.tid, k -> new ArrayList<>()).add(e);
		for (List<Event> thread : byThread.values()) {
			thread.sort(Comparator.comparingDouble((Event e) -> e.ts).thenComparingDouble(e -> -e.dur));
			Deque<Event> stack = new ArrayDeque<>();
			for (Event e : thread) {
				while (!stack.isEmpty() && stack.peek().end() <= e.ts + 1e-3) stack.pop();
				e.depth = stack.size();
				if (!stack.isEmpty()) stack.peek().children += e.dur;
				stack.push(e);
			}
		}
	}

	/** Events of a trace: DJL's array of events or a Kineto {@code {"traceEvents": [...]}} object. */
	static List<Event> read(Path file) throws IOException {
		JsonElement root = JsonParser.parseString(Files.readString(file));
		JsonArray array = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
		List<Event> events = new ArrayList<>();
		for (JsonElement el : array) {
			JsonObject o = el.getAsJsonObject();
			if (!o.has("ph") || !"X".equals(o.get("ph").getAsString()) || !o.has("dur")) continue;
			String cat = o.has("cat") ? o.get("cat").getAsString() : null;
			if (cat != null && !cat.equals("cpu_op") && !cat.equals("user_annotation")) continue;
			events.add(new Event(o.get("name").getAsString(), o.get("ts").getAsDouble(), o.get("dur").getAsDouble(),
				file.getFileName() + "#" + o.get("tid").getAsString(), cat));
		}
		return events;
	}

	/** A few lines for the console. */
	static String describe(String preset, JsonObject profile) {
		StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%nProfile of a %s train step (libtorch profiler, "
			+ "per step, mean of %d steps; wall times include the profiler's overhead)%n", preset, STEPS));
		s.append(String.format(Locale.ROOT, "%-10s %-7s %9s %10s %10s %12s %12s%n", "phase", "side", "wall ms", "ATen ops",
			"top-level", "in ops ms", "outside ms"));
		for (String phase : PHASES) {
			for (String side : List.of("java", "python")) {
				if (!profile.has(side) || !profile.get(side).isJsonObject()) continue;
				JsonObject p = profile.getAsJsonObject(side).getAsJsonObject(phase);
				s.append(String.format(Locale.ROOT, "%-10s %-7s %9.1f %10.0f %10.0f %12.1f %12.1f%n", phase, side,
					p.get("wall_ms").getAsDouble(), p.get("aten_ops").getAsDouble(), p.get("top_level_ops").getAsDouble(),
					p.get("inside_top_level_ops_ms").getAsDouble(), p.get("outside_ops_ms").getAsDouble()));
			}
		}
		JsonObject java = profile.getAsJsonObject("java");
		s.append(String.format(Locale.ROOT, "Java: %.0f NDArrays created per step in the step's scope; %d parameter "
			+ "tensors updated one by one%n", java.get("ndarrays_in_step_scope").getAsDouble(),
			java.get("parameter_tensors").getAsInt()));
		if (profile.has("python") && profile.get("python").isJsonObject()) {
			for (String phase : PHASES) {
				JsonObject j = profile.getAsJsonObject("java").getAsJsonObject(phase).getAsJsonObject("top_level_ops_by_name");
				JsonObject p = profile.getAsJsonObject("python").getAsJsonObject(phase).getAsJsonObject("top_level_ops_by_name");
				TreeSet<String> names = new TreeSet<>(j.keySet());
				names.addAll(p.keySet());
				s.append(String.format(Locale.ROOT, "  %s, top-level ops per step that differ (Java/PyTorch):", phase));
				for (String n : names) {
					double a = j.has(n) ? j.get(n).getAsDouble() : 0, b = p.has(n) ? p.get(n).getAsDouble() : 0;
					if (a != b) {
						s.append(String.format(Locale.ROOT, " %s %.0f/%.0f;", n.replace("aten::", "")
							.replace("autograd::engine::evaluate_function: ", ""), a, b));
					}
				}
				s.append('\n');
			}
		}
		for (String side : List.of("java", "python")) {
			if (!profile.has(side) || !profile.get(side).isJsonObject()) continue;
			for (String phase : PHASES) {
				s.append(String.format(Locale.ROOT, "  %s %s, busiest ops (self ms/step):", side, phase));
				for (JsonElement e : profile.getAsJsonObject(side).getAsJsonObject(phase).getAsJsonArray("busiest_by_self_time")) {
					JsonObject o = e.getAsJsonObject();
					s.append(String.format(Locale.ROOT, " %s x%.0f %.1f;", o.get("op").getAsString(), o.get("count").getAsDouble(),
						o.get("self_ms").getAsDouble()));
				}
				s.append('\n');
			}
		}
		return s.toString();
	}
}
