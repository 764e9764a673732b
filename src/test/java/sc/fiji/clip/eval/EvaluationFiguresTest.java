package sc.fiji.clip.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation's figures against counts made by hand. */
class EvaluationFiguresTest {

	@Test
	void precisionRecallAndF1MatchAHandCount() {
		ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b", "c"));
		// truth a: 3 right, 1 as b; truth b: 2 right, 2 as c; truth c: none
		for (int i = 0; i < 3; i++) m.add(0, 0);
		m.add(0, 1);
		m.add(1, 1);
		m.add(1, 1);
		m.add(1, 2);
		m.add(1, 2);
		assertEquals(8, m.total());
		assertEquals(5 / 8.0, m.accuracy(), 1e-12);
		assertEquals(1.0, m.precision(0), 1e-12);
		assertEquals(0.75, m.recall(0), 1e-12);
		assertEquals(2 * 0.75 / 1.75, m.f1(0), 1e-12);
		assertEquals(2 / 3.0, m.precision(1), 1e-12);
		assertEquals(0.5, m.recall(1), 1e-12);
		assertEquals(0.0, m.precision(2), 1e-12, "predicted twice, never right");
		assertTrue(Double.isNaN(m.recall(2)), "no image of c");
		assertTrue(Double.isNaN(m.f1(2)));
		assertEquals((m.f1(0) + m.f1(1)) / 2, m.macroF1(), 1e-12, "undefined F1 left out of the mean");
	}

	@Test
	void recallAtKMatchesAHandCount() {
		float[][] texts = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };
		float[][] images = { { 0.9f, 0.1f, 0 }, { 0.6f, 0.5f, 0.1f }, { 0, 0.2f, 0.8f }, { 0.5f, 0, 0.4f } };
		int[] classOf = { 0, 1, 2, 1 };
		int[] ks = { 1, 2, 3 };
		// image 0: a first (hit@1); image 1 (b): a, b -> rank 1; image 2 (c): c first; image 3 (b): a, c, b -> rank 2
		assertArrayEquals(new double[] { 2 / 4.0, 3 / 4.0, 1 }, RetrievalRecall.imageToText(images, classOf, texts, ks), 1e-12);
		// text a ranks image 0 (0.9) first, text b image 1 (0.5), text c image 2 (0.8): all hits at 1
		assertArrayEquals(new double[] { 1, 1, 1 }, RetrievalRecall.textToImage(images, classOf, texts, ks), 1e-12);
		float[][] harder = { { 0, 0.3f, 0.7f }, { 0.1f, 0.9f, 0 } };
		int[] truth = { 0, 1 };
		// text a finds image 1 (0.1) before image 0 (0): rank 1; text b finds image 1 first; text c has no image
		assertArrayEquals(new double[] { 0.5, 1, 1 }, RetrievalRecall.textToImage(harder, truth, texts, ks), 1e-12);
	}

	@Test
	void equalScoresRankTheLowerIndexFirst() {
		assertEquals(0, RetrievalRecall.rank(new double[] { 0.5, 0.5 }, 0));
		assertEquals(1, RetrievalRecall.rank(new double[] { 0.5, 0.5 }, 1));
	}
}
