package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.io.ModelMemo;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** Text side of zero-shot labelling on a random tiny model: ensembling, defaults, chunking, probabilities. */
class ZeroShotClassifierTest {

	private static ClipModel model;

	@BeforeAll
	static void create() {
		model = ClipModel.create(ClipPreset.TINY.config(), 3, Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static int managedArrays() {
		return ((BaseNDManager) model.weights().manager().getParentManager()).getManagedArrays().size();
	}

	/** Mean of the normalised per-template embeddings, renormalised, computed here with {@code embedTexts}. */
	private static float[] ensemble(String label, List<String> templates) {
		List<String> captions = new ArrayList<>();
		for (String t : templates) captions.add(t.replace("{}", label));
		float[][] e = model.embedTexts(captions);
		float[] mean = new float[e[0].length];
		for (float[] row : e) for (int i = 0; i < mean.length; i++) mean[i] += row[i] / e.length;
		double norm = 0;
		for (float v : mean) norm += v * v;
		for (int i = 0; i < mean.length; i++) mean[i] /= (float) Math.sqrt(norm);
		return mean;
	}

	@Test
	void aMemoHoldsTheLabelEmbeddingsOnceAndGivesThemBackForTheSameLabelsAndTemplates() {
		ModelMemo memo = new ModelMemo();
		LabelSet labels = LabelSet.of("red", "nucleus");
		float[][] first;
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, labels, null, memo)) {
			first = c.textEmbeddingRows();
		}
		assertEquals(1, memo.size());
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, LabelSet.of("red", "nucleus"), null, memo)) {
			assertArrayEquals(first[1], c.textEmbeddingRows()[1], 0f);
		}
		assertEquals(1, memo.size(), "equal labels and templates find the embeddings held");
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, labels, CaptionTemplates.of("{} cells"), memo)) {
			assertArrayEquals(ensemble("red", List.of("{} cells")), c.textEmbeddingRows()[0], 1e-5f);
		}
		assertEquals(2, memo.size(), "other templates are other embeddings");
	}

	@Test
	void embeddingsFoundInTheMemoAreUsedWithoutEncodingAgain() {
		ModelMemo memo = new ModelMemo();
		LabelSet labels = LabelSet.of("a", "b");
		int dim = model.config().projection_dim;
		float[] planted = new float[2 * dim];
		planted[0] = 1;
		planted[dim + 1] = 1;
		memo.get(List.of(ZeroShotClassifier.class, labels, ZeroShotClassifier.defaultTemplates(model)), () -> planted);
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, labels, null, memo)) {
			assertEquals(1f, c.textEmbeddingRows()[0][0]);
			assertEquals(1f, c.textEmbeddingRows()[1][1]);
		}
	}

	@Test
	void severalTemplatesAreEnsembledAsTheMeanOfNormalisedEmbeddingsRenormalised() {
		List<String> templates = List.of("a {}", "{} cells", "the {}!");
		LabelSet labels = LabelSet.of("red", "nucleus", "x");
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, labels, CaptionTemplates.of(templates))) {
			float[][] rows = c.textEmbeddingRows();
			assertEquals(3, rows.length);
			for (int i = 0; i < labels.size(); i++) {
				float[] expected = ensemble(labels.get(i), templates);
				assertArrayEquals(expected, rows[i], 1e-5f, labels.get(i));
				float[] single = model.embedTexts(List.of(templates.get(0).replace("{}", labels.get(i))))[0];
				float diff = 0;
				for (int k = 0; k < single.length; k++) diff = Math.max(diff, Math.abs(single[k] - rows[i][k]));
				assertTrue(diff > 1e-3f, "the ensemble differs from a single template");
			}
		}
	}

	@Test
	void defaultTemplatesAreTheModelsTrainingTemplatesElseAPhotoOf() {
		assertEquals(CaptionTemplates.defaults(), ZeroShotClassifier.defaultTemplates(model));
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, LabelSet.of("dog"))) {
			assertArrayEquals(model.embedTexts(List.of("a photo of a dog."))[0], c.textEmbeddingRows()[0], 1e-5f);
		}
		List<String> saved = model.config().fiji_clip.templates;
		try {
			model.config().fiji_clip.templates = new ArrayList<>(List.of("{} here", "one {}"));
			assertEquals(List.of("{} here", "one {}"), ZeroShotClassifier.defaultTemplates(model).templates());
			try (ZeroShotClassifier c = ZeroShotClassifier.create(model, LabelSet.of("dog"))) {
				assertArrayEquals(ensemble("dog", List.of("{} here", "one {}")), c.textEmbeddingRows()[0], 1e-5f);
			}
		} finally {
			model.config().fiji_clip.templates = saved;
		}
	}

	@Test
	void trainingTemplateWithoutPlaceholderIsAClipException() {
		List<String> saved = model.config().fiji_clip.templates;
		try {
			model.config().fiji_clip.templates = new ArrayList<>(List.of("a {}", "no placeholder"));
			ClipException e = assertThrows(ClipException.class, () -> ZeroShotClassifier.defaultTemplates(model));
			assertTrue(e.getMessage().contains("no placeholder"), e.getMessage());
		} finally {
			model.config().fiji_clip.templates = saved;
		}
	}

	@Test
	void tenThousandLabelsAreEncodedInChunks() {
		List<String> names = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) names.add("label " + i);
		int before = managedArrays();
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, LabelSet.of(names))) {
			NDArray e = c.textEmbeddings();
			assertEquals(new Shape(10_000, model.config().projection_dim), e.getShape());
			float[][] rows = c.textEmbeddingRows();
			for (int i : new int[] { 0, 255, 256, 257, 5_000, 9_999 }) {
				assertArrayEquals(model.embedTexts(List.of("a photo of a label " + i + "."))[0], rows[i], 1e-5f, "row " + i);
			}
			assertEquals(before + 2, managedArrays(), "only the embeddings and their transpose stay");
		}
		assertEquals(before, managedArrays(), "closing frees them");
	}

	@Test
	void probabilitiesAreTheSoftmaxOfScaledCosinesAndSumToOne() {
		try (ZeroShotClassifier c = ZeroShotClassifier.create(model, LabelSet.of("a", "b", "c", "d"));
			NDManager scope = model.newScope())
		{
			NDArray images = ClipModel.normalize(scope.randomNormal(new Shape(5, model.config().projection_dim)));
			float[] p = c.probabilities(images).toFloatArray();
			float[] logits = model.logits(images, c.textEmbeddings()).toFloatArray();
			for (int r = 0; r < 5; r++) {
				double sum = 0, z = 0;
				for (int k = 0; k < 4; k++) z += Math.exp(logits[r * 4 + k]);
				for (int k = 0; k < 4; k++) {
					assertEquals(Math.exp(logits[r * 4 + k]) / z, p[r * 4 + k], 1e-5);
					sum += p[r * 4 + k];
				}
				assertEquals(1.0, sum, 1e-5);
			}
		}
	}

	@Test
	void topIndicesAreLargestFirstWithTiesInLabelOrder() {
		float[] p = { 0.1f, 0.3f, 0.3f, 0.05f, 0.25f };
		assertArrayEquals(new int[] { 1, 2, 4 }, ZeroShotLabeller.top(p, 0, 5, 3));
		assertArrayEquals(new int[] { 1, 0, 2 }, ZeroShotLabeller.top(new float[] { 9, 0.2f, 0.5f, 0.2f, 0.1f }, 1, 4, 3),
			"indices within the row at the offset");
		float[] many = new float[100];
		for (int i = 0; i < many.length; i++) many[i] = (i * 37 % 100) / 100f;
		int[] all = ZeroShotLabeller.top(many, 0, 100, 100);
		for (int i = 1; i < 100; i++) assertTrue(many[all[i - 1]] >= many[all[i]]);
		assertArrayEquals(ZeroShotLabeller.top(many, 0, 100, 5), java.util.Arrays.copyOf(all, 5),
			"selection and sort agree");
	}
}
