package sc.fiji.clip.fewshot;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.io.AtomicFiles;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.io.SafetensorsWriter;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.model.ClipModel;

/**
 * A few-shot classifier kept inside a model file, so that labelling with that file needs no examples folder and no
 * labels: {@value #JSON} (method, classes, templates, weights) and {@value #ARRAYS} (the cache's example embeddings
 * and classes, or the probe's weights and biases). Loading the model itself ignores both entries, so the file stays a
 * plain CLIP model for {@code transformers} and for older versions.
 */
public final class SavedAdapter {

	public static final String JSON = "fiji_clip_adapter.json";
	public static final String ARRAYS = "fiji_clip_adapter.safetensors";
	private static final Gson GSON = new Gson();

	/** What {@value #JSON} holds. */
	static final class Description {
		String method;
		List<String> classes;
		List<String> templates;
		Float alpha, beta, lambda;
		String chosen;
	}

	private SavedAdapter() {}

	/** Writes {@code model} with {@code scorer} (a {@link CacheClassifier} or {@link LinearProbe}) to {@code target}. */
	public static void save(ClipModel model, ImageScorer scorer, Path target) {
		Description d = new Description();
		d.classes = scorer.labels().labels();
		d.chosen = FewShotMethod.describe(scorer);
		NDList arrays = new NDList();
		try (NDManager scope = ClipEngine.get().newBaseManager(ai.djl.Device.cpu())) {
			if (scorer instanceof CacheClassifier) {
				CacheClassifier c = (CacheClassifier) scorer;
				d.method = FewShotMethod.CACHE.id();
				d.templates = c.templates().templates();
				d.alpha = c.weights().alpha();
				d.beta = c.weights().beta();
				ExampleSet e = c.examples();
				float[] classOf = new float[e.size()];
				for (int i = 0; i < e.size(); i++) classOf[i] = e.classOf(i);
				arrays.add(named(scope.create(e.flatEmbeddings(), new Shape(e.size(), e.dimension())), "embeddings"));
				arrays.add(named(scope.create(classOf), "classes"));
			} else if (scorer instanceof LinearProbe) {
				LinearProbe p = (LinearProbe) scorer;
				d.method = FewShotMethod.PROBE.id();
				d.lambda = p.lambda();
				float[][] w = p.weights();
				float[] flat = new float[w.length * w[0].length];
				for (int c = 0; c < w.length; c++) System.arraycopy(w[c], 0, flat, c * w[0].length, w[0].length);
				arrays.add(named(scope.create(flat, new Shape(w.length, w[0].length)), "weight"));
				arrays.add(named(scope.create(p.bias()), "bias"));
			} else {
				throw new IllegalArgumentException("Only few-shot classifiers are saved, not " + scorer);
			}
			byte[] json = GSON.toJson(d).getBytes(StandardCharsets.UTF_8);
			Map<String, AtomicFiles.Content> extra = new LinkedHashMap<>();
			extra.put(JSON, out -> out.write(json));
			extra.put(ARRAYS, out -> SafetensorsWriter.write(arrays, out));
			ModelFiles.save(model, target, extra);
		}
	}

	private static NDArray named(NDArray a, String name) {
		a.setName(name);
		return a;
	}

	/** Whether the model file or folder carries a few-shot classifier. */
	public static boolean present(Path modelFile) {
		return ModelFiles.readEntry(modelFile, JSON) != null;
	}

	/**
	 * The few-shot classifier kept in {@code modelFile} for {@code model} (loaded from that file), or null when it
	 * has none.
	 *
	 * @throws ClipException if the entries are damaged or do not fit the model
	 */
	public static ImageScorer load(ClipModel model, Path modelFile) {
		byte[] json = ModelFiles.readEntry(modelFile, JSON);
		if (json == null) return null;
		byte[] bytes = ModelFiles.readEntry(modelFile, ARRAYS);
		String where = modelFile + " (" + JSON + ", " + ARRAYS + ")";
		try (NDManager scope = ClipEngine.get().newBaseManager(ai.djl.Device.cpu())) {
			Description d = GSON.fromJson(new String(json, StandardCharsets.UTF_8), Description.class);
			if (bytes == null || d == null || d.classes == null || d.method == null) throw new JsonParseException("incomplete");
			NDList arrays = NDList.decode(scope, new ByteArrayInputStream(bytes));
			LabelSet classes = LabelSet.of(d.classes);
			int dim = model.config().projection_dim;
			FewShotMethod method = FewShotMethod.of(d.method);
			if (method == FewShotMethod.CACHE) {
				float[] flat = array(arrays, "embeddings", where).toFloatArray();
				float[] classOf = array(arrays, "classes", where).toFloatArray();
				if (flat.length != classOf.length * dim) throw new JsonParseException("embeddings of another dimension");
				float[][] rows = new float[classOf.length][];
				int[] classes2 = new int[classOf.length];
				for (int i = 0; i < rows.length; i++) {
					rows[i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
					classes2[i] = (int) classOf[i];
				}
				ExampleSet examples = ExampleSet.of(classes, rows, classes2);
				CaptionTemplates t = d.templates == null || d.templates.isEmpty() ? null : CaptionTemplates.of(d.templates);
				return CacheClassifier.create(model, examples, t, CacheWeights.of(d.alpha, d.beta));
			}
			float[] flat = array(arrays, "weight", where).toFloatArray();
			float[] bias = array(arrays, "bias", where).toFloatArray();
			if (flat.length != classes.size() * dim || bias.length != classes.size()) {
				throw new JsonParseException("weights of another shape");
			}
			List<float[]> rows = new ArrayList<>();
			for (int c = 0; c < classes.size(); c++) rows.add(java.util.Arrays.copyOfRange(flat, c * dim, (c + 1) * dim));
			return LinearProbe.of(model, classes, rows.toArray(new float[0][]), bias, d.lambda == null ? Float.NaN : d.lambda);
		} catch (JsonParseException | IllegalArgumentException | ai.djl.engine.EngineException e) {
			throw new ClipException("The few-shot classifier in " + where + " cannot be read (" + e.getMessage() + "). "
				+ "Make it again with fiji-clip adapt, or label with --labels or --examples.", e);
		}
	}

	private static NDArray array(NDList arrays, String name, String where) {
		NDArray a = arrays.get(name);
		if (a == null) throw new JsonParseException("no array '" + name + "'");
		return a;
	}

	/** The description saved with the classifier, e.g. for {@code fiji-clip info}; null when there is none. */
	public static String describe(Path modelFile) {
		byte[] json = ModelFiles.readEntry(modelFile, JSON);
		if (json == null) return null;
		Description d = GSON.fromJson(new String(json, StandardCharsets.UTF_8), Description.class);
		return d == null ? null : d.chosen;
	}
}
