package sc.fiji.clip.fewshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** Tip-Adapter's cache on a random tiny model: the formula by hand, leave-one-out's choice, and saving it. */
class CacheClassifierTest {

	private static ClipModel model;

	@TempDir
	Path dir;

	@BeforeAll
	static void create() {
		model = ClipModel.create(ClipPreset.TINY.config(), 3, Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	static float[] basis(int i) {
		float[] v = new float[model.config().projection_dim];
		v[i] = 1;
		return v;
	}

	/** Examples e0, e1 of class a and e2 of class b; the image e0. */
	private static ExampleSet threeExamples() {
		return ExampleSet.of(LabelSet.of("a", "b"), new float[][] { basis(0), basis(1), basis(2) }, new int[] { 0, 0, 1 });
	}

	@Test
	void probabilitiesFollowTheCacheFormulaComputedByHand() {
		ExampleSet examples = threeExamples();
		float alpha = 2, beta = 3;
		try (CacheClassifier c = CacheClassifier.create(model, examples, null, CacheWeights.of(alpha, beta));
			ZeroShotClassifier text = ZeroShotClassifier.create(model, examples.classes());
			NDManager scope = model.newScope())
		{
			float[][] t = text.textEmbeddingRows();
			float scale = model.scale();
			// cos(e0, e0) = 1, cos(e0, e1) = cos(e0, e2) = 0: cache_a = (1 + exp(-3)) / 2, cache_b = exp(-3)
			double cacheA = (1 + Math.exp(-3)) / 2, cacheB = Math.exp(-3);
			double la = scale * (t[0][0] + alpha * cacheA), lb = scale * (t[1][0] + alpha * cacheB);
			double pa = 1 / (1 + Math.exp(lb - la));
			float[] p = c.probabilities(scope.create(basis(0), new Shape(1, basis(0).length))).toFloatArray();
			assertEquals(pa, p[0], 1e-5);
			assertEquals(1 - pa, p[1], 1e-5);
		}
	}

	@Test
	void examplesAloneIgnoreTheText() {
		try (CacheClassifier c = CacheClassifier.create(model, threeExamples(), null,
			CacheWeights.of(Float.POSITIVE_INFINITY, 3)); NDManager scope = model.newScope())
		{
			double la = model.scale() * (1 + Math.exp(-3)) / 2, lb = model.scale() * Math.exp(-3);
			float[] p = c.probabilities(scope.create(basis(0), new Shape(1, basis(0).length))).toFloatArray();
			assertEquals(1 / (1 + Math.exp(lb - la)), p[0], 1e-5);
		}
	}

	/** Two well separated clusters (classes a, b) whose class texts the random model cannot tell apart. */
	private static ExampleSet clusters(int perClass) {
		int d = model.config().projection_dim;
		java.util.Random random = new java.util.Random(5);
		float[][] e = new float[2 * perClass][];
		int[] classOf = new int[2 * perClass];
		for (int i = 0; i < e.length; i++) {
			classOf[i] = i % 2;
			float[] v = basis(classOf[i]);
			for (int k = 0; k < d; k++) v[k] += 0.2f * (float) random.nextGaussian();
			e[i] = normalized(v);
		}
		return ExampleSet.of(LabelSet.of("a", "b"), e, classOf);
	}

	static float[] normalized(float[] v) {
		double n = 0;
		for (float x : v) n += x * x;
		for (int k = 0; k < v.length; k++) v[k] /= (float) Math.sqrt(n);
		return v;
	}

	@Test
	void leaveOneOutTrustsExamplesThatSeparateTheClasses() {
		ExampleSet examples = clusters(4);
		float[][] uninformative = { basis(5), basis(5) };
		CacheWeights w = CacheWeightSearch.choose(examples, uninformative, model.scale());
		assertEquals(1.0, w.accuracy(), "every held-out example is labelled right by the other examples");
		assertEquals(0.5, w.zeroShotAccuracy(), "equal texts: ties go to the first class, half of the examples");
		assertTrue(w.alpha() > 0, w.describe());
		assertEquals(8, w.heldOut());
	}

	@Test
	void leaveOneOutKeepsZeroShotWhenTheExamplesMislead() {
		// each example's nearest other example is of the other class; the texts point the right way
		float[][] e = { basis(0), basis(1), normalized(new float[] { 1, 1.2f, 0, 0, 0, 0, 0, 0 }),
			normalized(new float[] { 1.2f, 1, 0, 0, 0, 0, 0, 0 }) };
		ExampleSet examples = ExampleSet.of(LabelSet.of("a", "b"), e, new int[] { 0, 1, 0, 1 });
		float[][] text = { basis(0), basis(1) };
		CacheWeights w = CacheWeightSearch.choose(examples, text, model.scale());
		assertEquals(0f, w.alpha(), w.describe());
		assertEquals(w.zeroShotAccuracy(), w.accuracy());
	}

	@Test
	void oneExamplePerClassWithTextNoBetterThanChanceTrustsTheExamples() {
		ExampleSet examples = ExampleSet.of(LabelSet.of("a", "b"), new float[][] { basis(0), basis(1) }, new int[] { 0, 1 });
		CacheWeights w = CacheWeightSearch.choose(examples, new float[][] { basis(1), basis(0) }, model.scale());
		assertTrue(w.examplesOnly(), w.describe());
		assertEquals(0.0, w.zeroShotAccuracy());
	}

	@Test
	void oneExamplePerClassUsesTheDefaults() {
		ExampleSet examples = ExampleSet.of(LabelSet.of("a", "b"), new float[][] { basis(0), basis(1) }, new int[] { 0, 1 });
		CacheWeights w = CacheWeightSearch.choose(examples, new float[][] { basis(0), basis(1) }, model.scale());
		assertEquals(CacheWeights.DEFAULT_ALPHA, w.alpha());
		assertEquals(CacheWeights.DEFAULT_BETA, w.beta());
		assertEquals(0, w.heldOut());
	}

	@Test
	void aSavedClassifierLabelsAsTheOriginal() {
		ExampleSet examples = clusters(3);
		Path file = dir.resolve("adapted.zip");
		for (FewShotMethod method : FewShotMethod.values()) {
			try (ImageScorer fitted = method.fit(model, examples, null); NDManager scope = model.newScope()) {
				SavedAdapter.save(model, fitted, file);
				NDArray images = ClipModel.normalize(scope.randomNormal(new Shape(4, model.config().projection_dim)));
				float[] expected = fitted.probabilities(images).toFloatArray();
				try (ClipModel loaded = sc.fiji.clip.io.ModelFiles.load(file, Device.cpu());
					ImageScorer kept = SavedAdapter.load(loaded, file))
				{
					assertEquals(method == FewShotMethod.CACHE ? CacheClassifier.class : LinearProbe.class, kept.getClass());
					assertEquals(examples.classes(), kept.labels());
					float[] p = kept.probabilities(images).toFloatArray();
					for (int i = 0; i < p.length; i++) assertEquals(expected[i], p[i], 1e-5, method + " " + i);
				}
			}
		}
	}
}
