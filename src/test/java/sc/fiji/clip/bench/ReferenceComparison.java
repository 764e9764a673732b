package sc.fiji.clip.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.io.SafetensorsWriter;
import sc.fiji.clip.label.EncodeOnly;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;
import sc.fiji.clip.text.TokenBatch;
import sc.fiji.clip.train.AdamW;
import sc.fiji.clip.train.TrainStep;
import sc.fiji.clip.train.TrainingOptions;

/**
 * Fiji CLIP side by side with a PyTorch reference of the same architecture and recipe
 * ({@code bench/reference/clip_reference.py}), in one invocation, with the same threads, batch and data, so that
 * every figure is a ratio measured minutes apart on the same machine. Not a unit test: run
 * {@code bench/reference/run.sh} (which builds, sets up the Python side and sets {@code OMP_WAIT_POLICY=PASSIVE}),
 * or with the test class path: {@code java ... sc.fiji.clip.bench.ReferenceComparison --python PATH [options]}.
 * <p>
 * For each preset ({@code seed} and {@code small} by default) it creates the model from a fixed seed and saves it
 * ({@code model.zip}); writes one training batch (128 Gaussian-noise images at the model's size, captions of 20
 * shape classes in 4 templates tokenized by the byte tokenizer, class keys and the soft targets), 2048 noise 64 px
 * RGB images for labelling, the tokens of 10 labels and of a colour prompt, and Java's own embeddings and label
 * probabilities ({@code batch.safetensors}, {@code batch.json}); then measures
 * <ol>
 * <li>Java: labelling images/s (the {@link ZeroShotLabeller} over an in-memory RGB stack: preprocessing, encoding,
 * softmax, top-3; batch 64; as {@code LabelBenchmark}), 100 colour steps ({@link ColorOptimizer} with its defaults,
 * early stop off so that all 100 steps run; warm-up then the median of 3 runs, as {@code ColorBenchmark}), and the
 * train step (3 warm-up steps, then the mean of 10: the loop of {@code TrainingBenchmark}, with the Trainer's
 * soft targets and default learning rate and weight decay);</li>
 * <li>PyTorch: the same three on the same files, in a child process with the same number of threads;</li>
 * <li>parity: embeddings of the batch, the targets, the label embeddings and probabilities, the loss of every
 * training step and the colour found, Java against PyTorch.</li>
 * </ol>
 * Java and PyTorch run one after the other, never at the same time. With {@code --rounds N} both sides are measured
 * N times, alternating, and each figure is the median over the rounds (a shared machine's load drifts; alternating
 * spreads it over both sides). Prints a table and writes every number, with the machine, thread counts and versions,
 * to one JSON file ({@code bench/work/reference/results.json}).
 */
public final class ReferenceComparison {

	static final long SEED = 1;
	static final String PROMPT = "the color of a banana";
	static final List<String> TEMPLATES = List.of("a photo of a {}.", "an image of a {}.", "a {}", "a small {}.");
	/** The training recipe's AdamW: {@code new AdamW(manager, decayed)}'s betas and epsilon. */
	static final float BETA1 = 0.9f, BETA2 = 0.98f, EPSILON = 1e-6f;
	/** ColorOptimizer's AdamW: betas and epsilon it creates its optimiser with. */
	static final float COLOUR_BETA1 = 0.9f, COLOUR_BETA2 = 0.999f, COLOUR_EPSILON = 1e-8f;

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
		.disableHtmlEscaping().create();

	private ReferenceComparison() {}

	/** Command-line options. */
	static final class Options {
		String python = null;
		Path script = Paths.get("bench/reference/clip_reference.py");
		Path work = Paths.get("bench/work/reference");
		Path out = null;
		int threads = 2, batch = 128, warmup = 3, steps = 10, images = 2048, side = 64, labelBatch = 64, labels = 10;
		int topK = 3, colourSteps = 100, colourRuns = 3, rounds = 1;
		List<String> presets = List.of("seed", "small");
		List<String> colourPresets = null;
		String attention = "sdpa";
		boolean profile = false;

		static Options parse(String[] args) {
			Options o = new Options();
			for (int i = 0; i < args.length; i++) {
				String a = args[i];
				String v = i + 1 < args.length ? args[i + 1] : null;
				switch (a) {
					case "--python": o.python = v; i++; break;
					case "--script": o.script = Paths.get(v); i++; break;
					case "--work": o.work = Paths.get(v); i++; break;
					case "--out": o.out = Paths.get(v); i++; break;
					case "--threads": o.threads = Integer.parseInt(v); i++; break;
					case "--batch": o.batch = Integer.parseInt(v); i++; break;
					case "--warmup": o.warmup = Integer.parseInt(v); i++; break;
					case "--steps": o.steps = Integer.parseInt(v); i++; break;
					case "--images": o.images = Integer.parseInt(v); i++; break;
					case "--label-batch": o.labelBatch = Integer.parseInt(v); i++; break;
					case "--colour-steps": o.colourSteps = Integer.parseInt(v); i++; break;
					case "--colour-runs": o.colourRuns = Integer.parseInt(v); i++; break;
					case "--rounds": o.rounds = Integer.parseInt(v); i++; break;
					case "--presets": o.presets = List.of(v.split(",")); i++; break;
					case "--colour-presets": o.colourPresets = List.of(v.split(",")); i++; break;
					case "--attention": o.attention = v; i++; break;
					case "--profile": o.profile = true; break;
					case "--help":
						System.out.println("ReferenceComparison --python PATH [--threads 2] [--presets seed,small] "
							+ "[--colour-presets seed,small] [--batch 128] [--warmup 3] [--steps 10] [--images 2048] "
							+ "[--label-batch 64] [--colour-steps 100] [--colour-runs 3] [--rounds 1] [--attention sdpa|eager] "
							+ "[--work bench/work/reference] [--out WORK/results.json] [--script bench/reference/clip_reference.py] "
							+ "[--profile]");
						System.exit(0);
						break;
					default:
						throw new IllegalArgumentException("Unknown option " + a + " (--help lists them)");
				}
			}
			if (o.python == null) o.python = defaultPython();
			if (o.out == null) o.out = o.work.resolve("results.json");
			if (o.colourPresets == null) o.colourPresets = o.presets;
			return o;
		}

		/** bench/.venv/reference-python (written by setup.sh), else bench/.venv/bin/python, else python3. */
		static String defaultPython() {
			Path marker = Paths.get("bench/.venv/reference-python");
			try {
				if (Files.exists(marker)) return Files.readString(marker).trim();
			} catch (IOException e) {
				// fall through
			}
			Path venv = Paths.get("bench/.venv/bin/python");
			return Files.exists(venv) ? venv.toString() : "python3";
		}
	}

	public static void main(String[] args) throws Exception {
		Options o = Options.parse(args);
		ClipEngine.setThreads(o.threads);
		Files.createDirectories(o.work);
		JsonObject results = new JsonObject();
		JsonObject machine = machine(o);
		results.add("machine", machine);
		JsonObject settings = new JsonObject();
		settings.addProperty("batch", o.batch);
		settings.addProperty("train_warmup", o.warmup);
		settings.addProperty("train_steps", o.steps);
		settings.addProperty("label_images", o.images);
		settings.addProperty("label_image_side", o.side);
		settings.addProperty("label_batch", o.labelBatch);
		settings.addProperty("labels", o.labels);
		settings.addProperty("top_k", o.topK);
		settings.addProperty("colour_steps", o.colourSteps);
		settings.addProperty("colour_runs", o.colourRuns);
		settings.addProperty("python_attention", o.attention);
		settings.addProperty("rounds", o.rounds);
		results.add("settings", settings);
		JsonObject presets = new JsonObject();
		results.add("presets", presets);
		if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
			log("warning: OMP_WAIT_POLICY is not PASSIVE; libtorch's threads spin and timings on a shared machine suffer");
		}
		for (String name : o.presets) {
			ClipPreset preset = ClipPreset.parse(name);
			JsonObject r = comparePreset(preset, o);
			presets.add(preset.toString(), r);
			machine.add("python", r.getAsJsonObject("python").get("torch") == null ? null : pythonInfo(r));
		}
		machine.addProperty("load_average_after", loadAverage());
		results.add("figures", figures(results, o));
		if (o.profile) {
			JsonObject profiles = new JsonObject();
			for (String name : o.presets) profiles.add(name, profile(ClipPreset.parse(name), o));
			results.add("profile", profiles);
		}
		Files.createDirectories(o.out.toAbsolutePath().getParent());
		Files.writeString(o.out, GSON.toJson(results));
		System.out.println(table(results, o));
		log("all numbers: " + o.out);
	}

	// ------------------------------------------------------------------------------------------------------------
	// one preset

	private static JsonObject comparePreset(ClipPreset preset, Options o) throws Exception {
		Path dir = o.work.resolve(preset.toString());
		Files.createDirectories(dir);
		Path modelFile = dir.resolve("model.zip");
		try (ClipModel fresh = ClipModel.create(preset.config(), SEED, Device.cpu())) {
			ModelFiles.save(fresh, modelFile);
		}
		log(preset + ": model " + modelFile + " written; preparing the batch");
		Inputs in = new Inputs(preset, o);
		JsonObject meta = meta(in, o);
		boolean colour = o.colourPresets.contains(preset.toString());
		JsonArray javaRounds = new JsonArray(), pythonRounds = new JsonArray();
		try (ClipModel model = ModelFiles.load(modelFile, Device.cpu())) {
			writeBatch(dir, in, expected(model, in, o), meta);
		}
		for (int round = 1; round <= o.rounds; round++) {
			String of = o.rounds > 1 ? " (round " + round + " of " + o.rounds + ")" : "";
			JsonObject java = new JsonObject();
			try (ClipModel model = ModelFiles.load(modelFile, Device.cpu())) {
				log(preset + ": Java labelling" + of);
				java.add("label", measureLabel(model, in, o));
				if (colour) {
					log(preset + ": Java colour" + of);
					java.add("colour", measureColour(model, o));
				}
			}
			log(preset + ": Java train steps" + of);
			java.add("train", measureTrain(modelFile, in, o));
			javaRounds.add(java);
			log(preset + ": PyTorch" + of + " (" + o.python + ")");
			pythonRounds.add(runPython(dir, o, colour ? "" : "colour"));
		}
		JsonObject java = javaRounds.get(0).getAsJsonObject(), python = pythonRounds.get(0).getAsJsonObject();
		JsonObject r = new JsonObject();
		r.add("model", modelDescription(preset));
		r.add("java", java);
		r.add("python", python);
		if (o.rounds > 1) {
			r.add("java_rounds", javaRounds);
			r.add("python_rounds", pythonRounds);
		}
		r.add("parity", parity(java, python));
		return r;
	}

	/** Everything both sides read: the training batch, the labelling images, label and prompt tokens. */
	static final class Inputs {
		final ClipPreset preset;
		final int size, n;
		final float[] pixels;
		final List<String> captions = new ArrayList<>(), positives = new ArrayList<>();
		final long[] keys;
		final int[] packed;
		final ImagePlus stack, warmupStack;
		final List<String> labels = new ArrayList<>();

		Inputs(ClipPreset preset, Options o) {
			this.preset = preset;
			size = preset.config().vision_config.image_size;
			n = o.batch;
			Random random = new Random(SEED);
			pixels = new float[n * 3 * size * size];
			for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
			keys = new long[n];
			for (int i = 0; i < n; i++) {
				int k = i % 20;
				String name = ShapesDataset.COLORS.get(k % 5) + " " + ShapesDataset.SHAPES.get(k / 5);
				captions.add(TEMPLATES.get((i / 20) % TEMPLATES.size()).replace("{}", name));
				positives.add("class:" + name);
				keys[i] = k;
			}
			// as LabelBenchmark: random RGB planes in an in-memory stack
			Random r = new Random(SEED);
			int side = o.side;
			packed = new int[o.images * side * side];
			ImageStack s = new ImageStack(side, side), w = new ImageStack(side, side);
			for (int i = 0; i < o.images; i++) {
				int[] plane = new int[side * side];
				for (int p = 0; p < plane.length; p++) plane[p] = r.nextInt(1 << 24);
				System.arraycopy(plane, 0, packed, i * plane.length, plane.length);
				s.addSlice(new ColorProcessor(side, side, plane));
				if (i < o.labelBatch) w.addSlice(new ColorProcessor(side, side, plane.clone()));
			}
			stack = new ImagePlus("label images", s);
			warmupStack = new ImagePlus("warm-up", w);
			for (int i = 0; i < o.labels; i++) labels.add("label " + i);
		}

		/** The labelling images as uint8 [images, side, side, 3] RGB. */
		byte[] rgbBytes() {
			byte[] b = new byte[packed.length * 3];
			for (int i = 0; i < packed.length; i++) {
				b[3 * i] = (byte) (packed[i] >> 16);
				b[3 * i + 1] = (byte) (packed[i] >> 8);
				b[3 * i + 2] = (byte) packed[i];
			}
			return b;
		}
	}

	/** Java's results that the Python side compares with its own. */
	static final class Expected {
		float[] imageEmbeds, textEmbeds, targets, labelEmbeds, labelProbs;
		int dim;
	}

	private static Expected expected(ClipModel model, Inputs in, Options o) {
		Expected e = new Expected();
		e.dim = model.config().projection_dim;
		try (NDManager scope = model.newScope()) {
			e.imageEmbeds = model.encodeImages(scope.create(in.pixels, new Shape(in.n, 3, in.size, in.size))).toFloatArray();
			e.textEmbeds = model.encodeTexts(in.captions, scope).toFloatArray();
			e.targets = ContrastiveLoss.targets(in.positives, scope).toFloatArray();
		}
		try (ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(in.labels))) {
			e.labelEmbeds = classifier.textEmbeddings().toFloatArray();
			ZeroShotLabeller all = ZeroShotLabeller.builder(classifier).batchSize(o.labelBatch).topK(o.topK)
				.allScores(true).build();
			int labels = in.labels.size();
			e.labelProbs = new float[o.images * labels];
			int[] row = { 0 };
			all.label(List.of(ImagePlanes.input(in.stack)), r -> System.arraycopy(r.allScores(), 0, e.labelProbs, row[0]++ * labels, labels));
		}
		return e;
	}

	private static JsonObject meta(Inputs in, Options o) {
		TrainingOptions recipe = TrainingOptions.builder().build();
		ColorOptions colour = ColorOptions.builder().steps(o.colourSteps).earlyStop(0, 0).build();
		JsonObject m = new JsonObject();
		m.addProperty("preset", in.preset.toString());
		m.addProperty("seed", SEED);
		m.addProperty("warmup", o.warmup);
		m.addProperty("steps", o.steps);
		m.addProperty("learning_rate", recipe.learningRate());
		m.addProperty("weight_decay", recipe.weightDecay());
		m.add("betas", floats(BETA1, BETA2));
		m.addProperty("eps", EPSILON);
		m.add("captions", strings(in.captions));
		m.add("labels", strings(in.labels));
		m.addProperty("top_k", o.topK);
		m.addProperty("label_batch", o.labelBatch);
		m.addProperty("prompt", PROMPT);
		m.addProperty("colour_steps", colour.steps());
		m.addProperty("colour_runs", o.colourRuns);
		m.addProperty("colour_learning_rate", colour.learningRate());
		m.addProperty("colour_weight_decay", colour.weightDecay());
		m.add("colour_betas", floats(COLOUR_BETA1, COLOUR_BETA2));
		m.addProperty("colour_eps", COLOUR_EPSILON);
		double p = colour.start().r();
		m.addProperty("colour_start_logit", Math.log(p / (1 - p)));
		return m;
	}

	private static void writeBatch(Path dir, Inputs in, Expected e, JsonObject meta) throws IOException {
		try (ClipModel model = ClipModel.create(in.preset.config(), SEED, Device.cpu());
			NDManager m = ClipEngine.get().newBaseManager(Device.cpu()))
		{
			JsonArray decayed = new JsonArray();
			for (String name : model.weights().names()) {
				if (model.weights().decayed(name)) decayed.add(name);
			}
			meta.add("decayed", decayed);
			TokenBatch tokens = model.tokenizer().encodeBatch(in.captions);
			List<String> labelCaptions = new ArrayList<>();
			for (String label : in.labels) labelCaptions.addAll(ZeroShotClassifier.defaultTemplates(model).apply(label));
			meta.add("label_captions", strings(labelCaptions));
			TokenBatch labelTokens = model.tokenizer().encodeBatch(labelCaptions);
			TokenBatch promptTokens = model.tokenizer().encodeBatch(List.of(PROMPT));
			int side = (int) Math.round(Math.sqrt(in.packed.length / (double) in.stack.getStackSize()));
			NDList list = new NDList();
			list.add(named(m.create(in.pixels, new Shape(in.n, 3, in.size, in.size)), "pixels"));
			addTokens(list, m, tokens, "input_ids", "lengths");
			list.add(named(m.create(in.keys), "keys"));
			list.add(named(m.create(ByteBuffer.wrap(in.rgbBytes()), new Shape(in.stack.getStackSize(), side, side, 3),
				DataType.UINT8), "label_images"));
			addTokens(list, m, labelTokens, "label_ids", "label_lengths");
			addTokens(list, m, promptTokens, "prompt_ids", "prompt_lengths");
			list.add(named(m.create(e.imageEmbeds, new Shape(in.n, e.dim)), "expected.image_embeds"));
			list.add(named(m.create(e.textEmbeds, new Shape(in.n, e.dim)), "expected.text_embeds"));
			list.add(named(m.create(e.targets, new Shape(in.n, in.n)), "expected.targets"));
			list.add(named(m.create(e.labelEmbeds, new Shape(in.labels.size(), e.dim)), "expected.label_embeds"));
			list.add(named(m.create(e.labelProbs, new Shape(in.stack.getStackSize(), in.labels.size())),
				"expected.label_probs"));
			try (OutputStream out = Files.newOutputStream(dir.resolve("batch.safetensors"))) {
				SafetensorsWriter.write(list, out);
			}
		}
		Files.writeString(dir.resolve("batch.json"), GSON.toJson(meta));
	}

	private static void addTokens(NDList list, NDManager m, TokenBatch tokens, String ids, String lengths) {
		int[] l = new int[tokens.size()];
		for (int i = 0; i < l.length; i++) l[i] = tokens.length(i);
		list.add(named(m.create(tokens.ids(), new Shape(tokens.size(), tokens.length())), ids));
		list.add(named(m.create(l), lengths));
	}

	private static NDArray named(NDArray a, String name) {
		a.setName(name);
		return a;
	}

	// ------------------------------------------------------------------------------------------------------------
	// Java measurements

	private static JsonObject measureLabel(ClipModel model, Inputs in, Options o) {
		try (ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(in.labels))) {
			ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).batchSize(o.labelBatch).topK(o.topK).build();
			labeller.label(List.of(ImagePlanes.input(in.warmupStack)), r -> {});
			long[] rows = { 0 };
			long t0 = System.nanoTime();
			labeller.label(List.of(ImagePlanes.input(in.stack)), r -> rows[0]++);
			double seconds = (System.nanoTime() - t0) / 1e9;
			JsonObject j = new JsonObject();
			j.addProperty("images", rows[0]);
			j.addProperty("batch", o.labelBatch);
			j.addProperty("top_k", o.topK);
			j.addProperty("seconds", seconds);
			j.addProperty("images_per_s", rows[0] / seconds);
			j.addProperty("resize", in.size != o.side ? "Pillow-exact bicubic (PilResize)" : "none (images at model size)");
			j.addProperty("encode_only_images_per_s", EncodeOnly.imagesPerSecond(model, in.stack, o.labelBatch));
			j.addProperty("encode_only_parallel_batches", EncodingPipeline.defaultParallelBatches(model));
			j.addProperty("encode_only_one_at_a_time_images_per_s", EncodeOnly.oneAtATime(model, in.stack, o.labelBatch));
			return j;
		}
	}

	private static JsonObject measureColour(ClipModel model, Options o) {
		ColorOptimizer optimizer = new ColorOptimizer(model);
		ColorOptions options = ColorOptions.builder().steps(o.colourSteps).earlyStop(0, 0).build();
		optimizer.optimize(PROMPT, options.toBuilder().steps(5).build());
		double[] seconds = new double[o.colourRuns];
		ColorResult r = null;
		for (int i = 0; i < seconds.length; i++) {
			long t0 = System.nanoTime();
			r = optimizer.optimize(PROMPT, options);
			seconds[i] = (System.nanoTime() - t0) / 1e9;
		}
		JsonObject j = new JsonObject();
		j.addProperty("steps", options.steps());
		j.add("runs_s", doubles(seconds));
		j.addProperty("seconds_median", median(seconds));
		j.add("rgb", doubles(r.color().r(), r.color().g(), r.color().b()));
		j.addProperty("hex", r.color().hex());
		j.addProperty("similarity", r.similarity());
		j.addProperty("best_step", r.bestFrame().step());
		j.add("last_rgb", doubles(r.lastFrame().color(0).r(), r.lastFrame().color(0).g(), r.lastFrame().color(0).b()));
		j.addProperty("last_similarity", r.lastFrame().similarity(0));
		j.addProperty("early_stop", "off (patience 0), so that every run takes all steps");
		return j;
	}

	/** The Trainer's step (the batch in a native buffer, as its loader thread prepares it), soft targets and recipe, timed per phase. */
	private static JsonObject measureTrain(Path modelFile, Inputs in, Options o) {
		TrainingOptions recipe = TrainingOptions.builder().build();
		float lr = (float) recipe.learningRate(), wd = (float) recipe.weightDecay();
		int total = o.warmup + o.steps;
		double[] step = new double[o.steps], input = new double[o.steps], forward = new double[o.steps];
		double[] backward = new double[o.steps], sync = new double[o.steps], update = new double[o.steps];
		double[] release = new double[o.steps];
		float[] losses = new float[total];
		int shares;
		try (ClipModel model = ModelFiles.load(modelFile, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			model.weights().setTrainable(true);
			// the batch as the Trainer hands it over: prepared by its loader thread in a native buffer
			java.nio.ByteBuffer batch = java.nio.ByteBuffer.allocateDirect(in.pixels.length * Float.BYTES)
				.order(java.nio.ByteOrder.nativeOrder());
			batch.asFloatBuffer().put(in.pixels);
			try (TrainStep trainStep = new TrainStep(model, adam, true, 0)) {
				shares = trainStep.shares();
				for (int s = 0; s < total; s++) {
					long[] marks = new long[6];
					int[] phase = { 1 };
					marks[0] = System.nanoTime();
					losses[s] = trainStep.run(batch, in.captions, in.positives, lr, wd, p -> marks[phase[0]++] = System.nanoTime());
					long end = System.nanoTime();
					int i = s - o.warmup;
					if (i >= 0) {
						step[i] = (end - marks[0]) / 1e6;
						input[i] = (marks[1] - marks[0]) / 1e6;
						forward[i] = (marks[2] - marks[1]) / 1e6;
						backward[i] = (marks[3] - marks[2]) / 1e6;
						sync[i] = (marks[4] - marks[3]) / 1e6;
						update[i] = (marks[5] - marks[4]) / 1e6;
						release[i] = (end - marks[5]) / 1e6;
					}
				}
			}
			model.weights().setTrainable(false);
		}
		JsonObject j = new JsonObject();
		j.addProperty("optimizer", "sc.fiji.clip.train.AdamW (DJL adamUpdate per tensor, in groups on the image shares' threads)");
		j.addProperty("image_shares", shares);
		j.addProperty("learning_rate", lr);
		j.addProperty("weight_decay", wd);
		j.addProperty("warmup", o.warmup);
		j.addProperty("steps", o.steps);
		j.addProperty("step_ms_mean", mean(step));
		j.addProperty("step_ms_median", median(step));
		j.addProperty("step_ms_min", Arrays.stream(step).min().orElse(Double.NaN));
		j.add("steps_ms", doubles(step));
		j.addProperty("input_ms", mean(input));
		j.addProperty("forward_ms", mean(forward));
		j.addProperty("backward_ms", mean(backward));
		j.addProperty("loss_and_collector_close_ms", mean(sync));
		j.addProperty("optimizer_ms", mean(update));
		j.addProperty("scope_close_ms", mean(release));
		JsonArray l = new JsonArray();
		for (float v : losses) l.add(v);
		j.add("losses", l);
		return j;
	}

	// ------------------------------------------------------------------------------------------------------------
	// the Python side

	private static JsonObject runPython(Path dir, Options o, String skip) throws IOException, InterruptedException {
		Path out = dir.resolve("python.json"), logFile = dir.resolve("python.log");
		List<String> command = new ArrayList<>(List.of(o.python, o.script.toString(), "--dir", dir.toString(), "--threads",
			Integer.toString(o.threads), "--out", out.toString(), "--attention", o.attention));
		if (!skip.isEmpty()) command.addAll(List.of("--skip", skip));
		return runPython(command, logFile, out, o);
	}

	private static JsonObject runPython(List<String> command, Path logFile, Path out, Options o)
		throws IOException, InterruptedException
	{
		long t0 = System.nanoTime();
		String json = Bench.runPython(command, logFile, out, o.threads);
		log(String.format(Locale.ROOT, "  PyTorch done in %.0f s", (System.nanoTime() - t0) / 1e9));
		return JsonParser.parseString(json).getAsJsonObject();
	}

	private static JsonObject pythonInfo(JsonObject presetResult) {
		JsonObject p = presetResult.getAsJsonObject("python");
		JsonObject info = new JsonObject();
		for (String k : List.of("torch", "python", "executable", "threads", "interop_threads", "cpu_capability", "mkldnn",
			"attention", "omp_wait_policy", "omp_num_threads"))
		{
			if (p.has(k)) info.add(k, p.get(k));
		}
		return info;
	}

	// ------------------------------------------------------------------------------------------------------------
	// parity and figures

	private static JsonObject parity(JsonObject java, JsonObject python) {
		JsonObject p = python.getAsJsonObject("parity").deepCopy();
		JsonArray jl = java.getAsJsonObject("train").getAsJsonArray("losses");
		if (python.has("train")) {
			JsonArray pl = python.getAsJsonObject("train").getAsJsonArray("losses");
			double max = 0;
			for (int i = 0; i < Math.min(jl.size(), pl.size()); i++) {
				max = Math.max(max, Math.abs(jl.get(i).getAsDouble() - pl.get(i).getAsDouble()));
			}
			p.addProperty("java_loss_step1", jl.get(0).getAsDouble());
			p.addProperty("python_loss_step1", pl.get(0).getAsDouble());
			p.addProperty("loss_step1_abs_diff", Math.abs(jl.get(0).getAsDouble() - pl.get(0).getAsDouble()));
			if (jl.size() > 1 && pl.size() > 1) {
				p.addProperty("loss_step2_abs_diff", Math.abs(jl.get(1).getAsDouble() - pl.get(1).getAsDouble()));
			}
			p.addProperty("loss_all_steps_max_abs_diff", max);
			if (p.has("losses_djl_eps") && jl.size() > 1) {
				p.addProperty("loss_step2_djl_eps_abs_diff", Math.abs(jl.get(1).getAsDouble()
					- p.getAsJsonArray("losses_djl_eps").get(1).getAsDouble()));
			}
			p.addProperty("java_loss_last", jl.get(jl.size() - 1).getAsDouble());
			p.addProperty("python_loss_last", pl.get(pl.size() - 1).getAsDouble());
		}
		if (java.has("colour") && python.has("colour")) {
			JsonObject jc = java.getAsJsonObject("colour"), pc = python.getAsJsonObject("colour");
			p.addProperty("colour_java", jc.get("hex").getAsString());
			p.addProperty("colour_python", pc.get("hex").getAsString());
			double d = 0;
			for (int c = 0; c < 3; c++) {
				d = Math.max(d, Math.abs(jc.getAsJsonArray("rgb").get(c).getAsDouble()
					- pc.getAsJsonArray("rgb").get(c).getAsDouble()));
			}
			p.addProperty("colour_rgb_max_abs_diff", d);
			p.addProperty("colour_similarity_abs_diff", Math.abs(jc.get("similarity").getAsDouble()
				- pc.get("similarity").getAsDouble()));
		}
		return p;
	}

	/**
	 * One row per figure: Java, PyTorch (each the median over the rounds), the ratio and whether the target is
	 * met.
	 */
	private static JsonArray figures(JsonObject results, Options o) {
		JsonArray rows = new JsonArray();
		for (Map.Entry<String, JsonElement> e : results.getAsJsonObject("presets").entrySet()) {
			String preset = e.getKey();
			JsonObject r = e.getValue().getAsJsonObject();
			JsonArray java = rounds(r, "java"), python = rounds(r, "python");
			double j = figure(java, "train", "step_ms_mean"), p = figure(python, "train", "step_ms_mean");
			if (!Double.isNaN(p)) {
				rows.add(row("train step, batch " + o.batch + " (ms, mean of " + o.steps + " steps)", preset, j, p,
					"Java <= 0.8x PyTorch", j / p <= 0.8));
				double f = figure(python, "train_fused", "step_ms_mean");
				if (!Double.isNaN(f)) rows.add(row("  the same, PyTorch with AdamW(fused=True)", preset, j, f, "(information)", null));
				double every = figure(python, "train_every_caption", "step_ms_mean");
				if (!Double.isNaN(every)) {
					rows.add(row("  the same, PyTorch encoding every caption (repeats too)", preset, j, every, "(information)",
						null));
				}
			}
			j = figure(java, "label", "images_per_s");
			p = figure(python, "label", "images_per_s");
			if (!Double.isNaN(p)) {
				rows.add(row("labelling, batch " + o.labelBatch + " (images/s)", preset, j, p,
					"Java >= 1.25x PyTorch", j / p >= 1.25));
			}
			j = figure(java, "label", "encode_only_images_per_s");
			p = figure(python, "label", "encode_only_images_per_s");
			if (!Double.isNaN(j) && !Double.isNaN(p)) {
				rows.add(row("encoding alone, batch " + o.labelBatch + " (images/s), as the labeller encodes", preset, j, p,
					"Java >= 1.0x PyTorch", j / p >= 1.0));
				double one = figure(java, "label", "encode_only_one_at_a_time_images_per_s");
				if (!Double.isNaN(one)) {
					rows.add(row("  the same, Java one batch at a time on all cores", preset, one, p, "(information)", null));
				}
			}
			j = figure(java, "colour", "seconds_median");
			p = figure(python, "colour", "seconds_median");
			if (!Double.isNaN(j) && !Double.isNaN(p)) {
				boolean seed = preset.equals("seed");
				rows.add(row(o.colourSteps + " colour steps (s, median of " + o.colourRuns + " runs)", preset, j, p,
					seed ? "Java <= 1 s" : "(information)", seed ? j <= 1.0 : null));
			}
		}
		return rows;
	}

	private static JsonArray rounds(JsonObject preset, String side) {
		if (preset.has(side + "_rounds")) return preset.getAsJsonArray(side + "_rounds");
		JsonArray a = new JsonArray();
		a.add(preset.get(side));
		return a;
	}

	/** The median over rounds of {@code part.key}, NaN when a round lacks it. */
	private static double figure(JsonArray rounds, String part, String key) {
		double[] v = new double[rounds.size()];
		for (int i = 0; i < v.length; i++) {
			JsonObject round = rounds.get(i).getAsJsonObject();
			if (!round.has(part) || !round.getAsJsonObject(part).has(key)) return Double.NaN;
			v[i] = round.getAsJsonObject(part).get(key).getAsDouble();
		}
		return median(v);
	}

	private static JsonObject row(String figure, String preset, double java, double python, String target, Boolean met) {
		double ratio = java / python;
		JsonObject r = new JsonObject();
		r.addProperty("figure", figure);
		r.addProperty("preset", preset);
		r.addProperty("java", java);
		r.addProperty("pytorch", python);
		r.addProperty("java_over_pytorch", ratio);
		r.addProperty("target", target);
		if (met != null) r.addProperty("met", met);
		return r;
	}

	static String table(JsonObject results, Options o) {
		StringBuilder s = new StringBuilder();
		JsonObject m = results.getAsJsonObject("machine");
		JsonObject py = m.has("python") && m.get("python").isJsonObject() ? m.getAsJsonObject("python") : new JsonObject();
		s.append(String.format(Locale.ROOT, "Fiji CLIP vs PyTorch reference: %s threads each; %s (%s cores); load average %s -> %s%n",
			o.threads, str(m, "cpu"), str(m, "cores"), str(m, "load_average_before"), str(m, "load_average_after")));
		s.append(String.format(Locale.ROOT, "Java: DJL %s, libtorch %s (CPU), Java %s, %s intra-op / 1 inter-op threads, "
			+ "OMP_WAIT_POLICY=%s%n", str(m, "djl"), str(m, "libtorch"), str(m, "java"), str(m, "java_threads"),
			str(m, "omp_wait_policy")));
		s.append(String.format(Locale.ROOT, "PyTorch: torch %s, Python %s, %s intra-op / %s inter-op threads, %s, %s%n%n",
			str(py, "torch"), str(py, "python"), str(py, "threads"), str(py, "interop_threads"), str(py, "cpu_capability"),
			str(py, "attention")));
		if (o.rounds > 1) {
			s.append(String.format(Locale.ROOT, "Each figure is the median over %d rounds (Java, then PyTorch, per round).%n",
				o.rounds));
		}
		s.append(String.format(Locale.ROOT, "%-46s %-6s %10s %10s %8s  %-22s %s%n", "figure", "preset", "Java", "PyTorch",
			"J/P", "target", "met"));
		for (JsonElement e : results.getAsJsonArray("figures")) {
			JsonObject r = e.getAsJsonObject();
			s.append(String.format(Locale.ROOT, "%-46s %-6s %10s %10s %7.2fx  %-22s %s%n", r.get("figure").getAsString(),
				r.get("preset").getAsString(), num(r.get("java").getAsDouble()), num(r.get("pytorch").getAsDouble()),
				r.get("java_over_pytorch").getAsDouble(), r.get("target").getAsString(),
				r.has("met") ? (r.get("met").getAsBoolean() ? "yes" : "NO") : ""));
		}
		s.append(String.format(Locale.ROOT, "%nTrain step phases, mean ms (Java | PyTorch default AdamW)%s%n",
			o.rounds > 1 ? ", first round" : ""));
		for (Map.Entry<String, JsonElement> e : results.getAsJsonObject("presets").entrySet()) {
			JsonObject j = e.getValue().getAsJsonObject().getAsJsonObject("java").getAsJsonObject("train");
			JsonObject p = e.getValue().getAsJsonObject().getAsJsonObject("python").getAsJsonObject("train");
			s.append(String.format(Locale.ROOT, "  %-6s Java: input %s, forward %s, backward %s, loss+collector %s, "
				+ "optimizer %s, scope close %s | PyTorch: forward %s, backward %s, optimizer %s%n", e.getKey(),
				num(d(j, "input_ms")), num(d(j, "forward_ms")), num(d(j, "backward_ms")), num(d(j, "loss_and_collector_close_ms")),
				num(d(j, "optimizer_ms")), num(d(j, "scope_close_ms")), num(d(p, "forward_ms")), num(d(p, "backward_ms")),
				num(d(p, "optimizer_ms"))));
		}
		s.append(String.format(Locale.ROOT, "%nLabelling, images/s: whole path | encoding alone on batches preprocessed "
			+ "beforehand%s%n", o.rounds > 1 ? ", first round" : ""));
		for (Map.Entry<String, JsonElement> e : results.getAsJsonObject("presets").entrySet()) {
			JsonObject j = e.getValue().getAsJsonObject().getAsJsonObject("java").getAsJsonObject("label");
			JsonObject p = e.getValue().getAsJsonObject().getAsJsonObject("python").getAsJsonObject("label");
			s.append(String.format(Locale.ROOT, "  %-6s Java: %s | %s (resize: %s); PyTorch: %s | %s (resize: %s)%n",
				e.getKey(), num(d(j, "images_per_s")), num(d(j, "encode_only_images_per_s")), str(j, "resize"),
				num(d(p, "images_per_s")), num(d(p, "encode_only_images_per_s")), str(p, "resize")));
		}
		s.append(String.format(Locale.ROOT, "%nParity (same weights and inputs; max |Java - PyTorch|)%n"));
		String[][] items = {
			{ "image embeddings of the batch", "image_embeds_max_abs_diff" },
			{ "text embeddings of the batch", "text_embeds_max_abs_diff" },
			{ "soft targets", "targets_max_abs_diff" },
			{ "loss, step 1 (before any update)", "loss_step1_abs_diff" },
			{ "loss, step 2 (after one AdamW step)", "loss_step2_abs_diff" },
			{ "loss, every step", "loss_all_steps_max_abs_diff" },
			{ "loss, step 2, PyTorch eps in DJL's form", "loss_step2_djl_eps_abs_diff" },
			{ "label embeddings", "label_embeds_max_abs_diff" },
			{ "label probabilities", "label_probs_max_abs_diff" },
			{ "label top-1 agreement (fraction)", "label_top1_agreement" },
			{ "colour found, RGB in [0, 1]", "colour_rgb_max_abs_diff" },
			{ "colour similarity", "colour_similarity_abs_diff" } };
		for (Map.Entry<String, JsonElement> e : results.getAsJsonObject("presets").entrySet()) {
			JsonObject p = e.getValue().getAsJsonObject().getAsJsonObject("parity");
			s.append("  ").append(e.getKey()).append(':');
			for (String[] item : items) {
				if (p.has(item[1])) s.append(String.format(Locale.ROOT, "%n    %-40s %.3g", item[0], p.get(item[1]).getAsDouble()));
			}
			s.append(String.format(Locale.ROOT, "%n    %-40s %s / %s", "loss step 1, Java / PyTorch",
				str(p, "java_loss_step1"), str(p, "python_loss_step1")));
			if (p.has("colour_java")) {
				s.append(String.format(Locale.ROOT, "%n    %-40s %s / %s", "colour, Java / PyTorch", str(p, "colour_java"),
					str(p, "colour_python")));
			}
			s.append(String.format(Locale.ROOT, "%n    %-40s %s%n", "decay groups equal", str(p, "decay_groups_match")));
		}
		return s.toString();
	}

	// ------------------------------------------------------------------------------------------------------------
	// profile of a train step

	/**
	 * Where a preset's train step time goes on each side: ATen operators per step from libtorch's profiler (DJL's
	 * {@code JniUtils.startProfile} in Java, {@code torch.profiler} in Python) and the NDArrays a Java step creates.
	 */
	private static JsonObject profile(ClipPreset preset, Options o) throws Exception {
		Path dir = o.work.resolve(preset.toString()), traces = dir.resolve("profile");
		log(preset + ": profiling train steps (Java, then PyTorch)");
		Inputs in = new Inputs(preset, o);
		JsonObject result = new JsonObject();
		result.add("java", TrainProfile.java(dir.resolve("model.zip"), in, traces));
		Path trace = traces.resolve("python-trace.json"), out = traces.resolve("python-profile.json");
		List<String> command = List.of(o.python, o.script.toString(), "--dir", dir.toString(), "--threads",
			Integer.toString(o.threads), "--out", out.toString(), "--attention", o.attention, "--skip",
			"label,colour,train,fused,every", "--profile-ops", trace.toString());
		runPython(command, traces.resolve("python-profile.log"), out, o);
		result.add("python", TrainProfile.python(trace));
		System.out.println(TrainProfile.describe(preset.toString(), result));
		return result;
	}

	// ------------------------------------------------------------------------------------------------------------
	// machine and helpers

	private static JsonObject machine(Options o) {
		JsonObject m = new JsonObject();
		m.addProperty("cpu", cpuModel());
		m.addProperty("cores", Runtime.getRuntime().availableProcessors());
		m.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
			+ System.getProperty("os.arch"));
		m.addProperty("load_average_before", loadAverage());
		m.addProperty("java", System.getProperty("java.version"));
		m.addProperty("djl", Engine.getDjlVersion());
		Engine engine = ClipEngine.get();
		m.addProperty("libtorch", engine.getVersion());
		m.addProperty("libtorch_description", ClipEngine.libtorchDescription());
		m.addProperty("java_threads", ClipEngine.threads());
		m.addProperty("java_interop_threads", JniUtils.getNumInteropThreads());
		m.addProperty("omp_wait_policy", System.getenv("OMP_WAIT_POLICY"));
		m.addProperty("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
		m.addProperty("threads", o.threads);
		return m;
	}

	static String cpuModel() {
		try {
			for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
				if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
			}
		} catch (IOException e) {
			// not Linux
		}
		return System.getProperty("os.arch");
	}

	static String loadAverage() {
		try {
			String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
			return f[0] + " " + f[1] + " " + f[2];
		} catch (IOException e) {
			return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	private static JsonObject modelDescription(ClipPreset preset) {
		JsonObject j = new JsonObject();
		try (ClipModel model = ClipModel.create(preset.config(), SEED, Device.cpu())) {
			j.addProperty("config", model.config().describe());
			j.addProperty("parameters", model.parameterCount());
			j.addProperty("tensors", model.weights().names().size());
		}
		return j;
	}

	static void log(String message) {
		System.err.println("[reference] " + message);
	}

	static double mean(double[] v) {
		return Arrays.stream(v).average().orElse(Double.NaN);
	}

	static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		int n = s.length;
		return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	}

	private static double d(JsonObject o, String key) {
		return o != null && o.has(key) ? o.get(key).getAsDouble() : Double.NaN;
	}

	private static String str(JsonObject o, String key) {
		if (o == null || !o.has(key) || o.get(key).isJsonNull()) return "?";
		JsonElement e = o.get(key);
		if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
			double v = e.getAsDouble();
			return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
		}
		return e.getAsString();
	}

	static String num(double v) {
		if (Double.isNaN(v)) return "-";
		if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
		if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
		return String.format(Locale.ROOT, "%.2f", v);
	}

	private static JsonArray doubles(double... values) {
		JsonArray a = new JsonArray();
		for (double v : values) a.add(v);
		return a;
	}

	private static JsonArray floats(float... values) {
		JsonArray a = new JsonArray();
		for (float v : values) a.add((double) v);
		return a;
	}

	private static JsonArray strings(List<String> values) {
		JsonArray a = new JsonArray();
		values.forEach(a::add);
		return a;
	}
}
