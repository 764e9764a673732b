package sc.fiji.clip.fewshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** The linear probe: it learns separable classes, its pull keeps it at the text, and its folds are stratified. */
class LinearProbeFitTest {

	private static ClipModel model;

	@BeforeAll
	static void create() {
		model = ClipModel.create(ClipPreset.TINY.config(), 3, Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static float[] v(float... x) {
		float[] full = new float[model.config().projection_dim];
		System.arraycopy(x, 0, full, 0, x.length);
		return CacheClassifierTest.normalized(full);
	}

	/** Class a leans to x, class b to y; the texts point the wrong way round. */
	private static ExampleSet crossed() {
		float[][] e = { v(1, 0.3f), v(1, 0.1f), v(1, -0.2f), v(0.2f, 1), v(-0.1f, 1), v(0.3f, 1) };
		return ExampleSet.of(LabelSet.of("a", "b"), e, new int[] { 0, 0, 0, 1, 1, 1 });
	}

	@Test
	void aWeakPullLearnsClassesTheTextGetsWrong() {
		ExampleSet examples = crossed();
		float[][] text = { v(0, 1), v(1, 0) };
		List<Integer> all = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
		float[][][] wb = LinearProbeFit.solve(model, examples, all, text, 1e-4f);
		for (int i = 0; i < examples.size(); i++) {
			double[] l = LinearProbe.logits(examples.embedding(i), wb[0], wb[1][0], model.scale());
			assertEquals(examples.classOf(i), CacheWeightSearch.argmax(l), "example " + i);
		}
	}

	@Test
	void aStrongPullStaysNearTheText() {
		ExampleSet examples = crossed();
		float[][] text = { v(0, 1), v(1, 0) };
		float[][][] weak = LinearProbeFit.solve(model, examples, List.of(0, 1, 2, 3, 4, 5), text, 1e-4f);
		float[][][] strong = LinearProbeFit.solve(model, examples, List.of(0, 1, 2, 3, 4, 5), text, 100f);
		assertTrue(distance(strong[0], text) < distance(weak[0], text) / 10, distance(strong[0], text) + " vs "
			+ distance(weak[0], text));
	}

	private static double distance(float[][] a, float[][] b) {
		double s = 0;
		for (int c = 0; c < a.length; c++) for (int k = 0; k < a[c].length; k++) s += Math.pow(a[c][k] - b[c][k], 2);
		return Math.sqrt(s);
	}

	@Test
	void foldsDealEachClassOutInTurn() {
		ExampleSet examples = crossed();
		assertArrayEquals(new int[] { 0, 1, 2, 0, 1, 2 }, LinearProbeFit.folds(examples, 3));
	}

	@Test
	void crossValidationChoosesAPullAndReportsItsAccuracy() {
		try (LinearProbe p = LinearProbeFit.fit(model, crossed(), new float[][] { v(0, 1), v(1, 0) })) {
			assertTrue(p.accuracy() > 0.5, "the text alone gets every example wrong: " + p.accuracy());
			assertTrue(p.lambda() < 1, "a pull strong enough to keep the wrong text was chosen: " + p.lambda());
		}
	}
}
