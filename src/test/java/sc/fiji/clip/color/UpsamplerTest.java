package sc.fiji.clip.color;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpsamplerTest {

	@Test
	void twoToFourMatchesPyTorchBilinearWithoutAlignedCorners() {
		// torch.nn.functional.interpolate(x, size=4, mode="bilinear", align_corners=False) on 2 pixels
		float[] expected = { 1, 0, 0.75f, 0.25f, 0.25f, 0.75f, 0, 1 };
		assertArrayEquals(expected, new Upsampler(2, 4).matrix(), 1e-6f);
	}

	@Test
	void rowsSumToOneAndOnePixelSpreadsEverywhere() {
		Upsampler u = new Upsampler(5, 16);
		float[] m = u.matrix();
		for (int i = 0; i < 16; i++) {
			float sum = 0;
			for (int j = 0; j < 5; j++) sum += m[i * 5 + j];
			assertEquals(1, sum, 1e-6);
		}
		assertArrayEquals(new float[] { 0.3f, 0.3f, 0.3f, 0.3f }, new Upsampler(1, 2).apply(new float[] { 0.3f }), 1e-7f);
	}

	@Test
	void applyIsRTimesXTimesRTransposed() {
		Upsampler u = new Upsampler(2, 4);
		float[] x = { 0, 1, 1, 0 }; // [[0, 1], [1, 0]]
		float[] out = u.apply(x);
		float[] r = u.matrix();
		for (int y = 0; y < 4; y++) {
			for (int c = 0; c < 4; c++) {
				float v = 0;
				for (int i = 0; i < 2; i++) {
					for (int j = 0; j < 2; j++) v += r[y * 2 + i] * x[i * 2 + j] * r[c * 2 + j];
				}
				assertEquals(v, out[y * 4 + c], 1e-6, "(" + y + ", " + c + ")");
			}
		}
	}
}
