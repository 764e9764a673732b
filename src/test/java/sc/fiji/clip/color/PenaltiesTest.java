package sc.fiji.clip.color;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;

class PenaltiesTest {

	@Test
	void separationIsOneForEqualColoursAndVanishesForDistantOnes() {
		try (NDManager m = ClipEngine.get().newBaseManager()) {
			float same = Penalties.separation(m.create(new float[] { .2f, .3f, .4f, .2f, .3f, .4f }, new Shape(2, 3)), 0.1f)
				.getFloat();
			float far = Penalties.separation(m.create(new float[] { 0, 0, 0, 1, 1, 1 }, new Shape(2, 3)), 0.1f).getFloat();
			// three colours: one pair at distance 0.1 (exp(-1)), two pairs far apart
			float mixed = Penalties.separation(m.create(new float[] { 0, 0, 0, 0.1f, 0, 0, 1, 1, 1 }, new Shape(3, 3)), 0.1f)
				.getFloat();
			assertEquals(1, same, 1e-6);
			assertEquals(0, far, 1e-6);
			assertEquals(Math.exp(-1) / 3, mixed, 1e-5);
		}
	}

	@Test
	void smoothnessIsZeroForAFlatImageAndTheMeanSquaredStepOtherwise() {
		try (NDManager m = ClipEngine.get().newBaseManager()) {
			assertEquals(0, Penalties.smoothness(m.full(new Shape(1, 3, 4, 4), 0.7f)).getFloat(), 1e-7);
			// vertical stripes 0,1 in every channel: each horizontal step is 1, vertical steps 0
			float[] stripes = new float[3 * 2 * 2];
			for (int i = 0; i < stripes.length; i++) stripes[i] = i % 2;
			assertEquals(0.5, Penalties.smoothness(m.create(stripes, new Shape(1, 3, 2, 2))).getFloat(), 1e-6);
		}
	}
}
