package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelSelectionTest {

	private static EpochRecord accuracy(double a) {
		return new EpochRecord(1, 1, 1e-3, 1, 2, a, 2.6, 1);
	}

	private static EpochRecord loss(double l) {
		return new EpochRecord(1, 1, 1e-3, 1, l, Double.NaN, 2.6, 1);
	}

	@Test
	void theFirstMeasuredEpochIsKept() {
		assertTrue(ModelSelection.keeps(accuracy(0.5), Double.NEGATIVE_INFINITY, 100));
		assertTrue(ModelSelection.keeps(loss(3), Double.NEGATIVE_INFINITY, 100));
		assertFalse(ModelSelection.keeps(loss(Double.NaN), Double.NEGATIVE_INFINITY, 100), "nothing measured");
	}

	@Test
	void aLaterModelWithinOneStandardErrorOfTheBestReplacesIt() {
		// 1200 images at 90 %: one standard error is 0.87 points
		assertTrue(ModelSelection.keeps(accuracy(0.898), 0.902, 1200));
		assertTrue(ModelSelection.keeps(accuracy(0.894), 0.902, 1200));
		assertFalse(ModelSelection.keeps(accuracy(0.892), 0.902, 1200), "clearly worse");
		assertTrue(ModelSelection.keeps(accuracy(0.892), 0.902, 100), "within the noise of 100 images");
		assertTrue(ModelSelection.keeps(accuracy(0.95), 0.902, 1200), "better");
	}

	@Test
	void lossesAreComparedStrictly() {
		assertTrue(ModelSelection.keeps(loss(2.9), -3.0, 1200));
		assertFalse(ModelSelection.keeps(loss(3.0), -3.0, 1200));
		assertFalse(ModelSelection.keeps(loss(3.01), -3.0, 1200));
	}
}
