package sc.fiji.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RandomResizedCropTest {

	private static final ClipImageProcessor CLIP32 = new ClipImageProcessor(ImagePreprocessing.openAiClip(32));
	private static final RgbImage IMAGE = PilResizeTest.pattern(40, 30);

	@Test
	void outputHasTheCropSize() {
		RandomResizedCrop rrc = new RandomResizedCrop(new ClipImageProcessor(ImagePreprocessing.builder().cropSize(24, 16).build()));
		assertEquals(3 * 24 * 16, rrc.outputLength());
		assertEquals(3 * 24 * 16, rrc.apply(PilResizeTest.noise(100, 50, 1), new Random(0)).length);
		assertEquals(3 * 24 * 16, rrc.apply(PilResizeTest.noise(1, 1, 1), new Random(0)).length);
	}

	@Test
	void sameSeedSameOutputDifferentSeedsDiffer() {
		RandomResizedCrop rrc = new RandomResizedCrop(CLIP32, 0.3, 1.0, 0.75, 4 / 3.0, 0.5, 0.5);
		RgbImage im = PilResizeTest.noise(200, 150, 3);
		assertArrayEquals(rrc.apply(im, new Random(42)), rrc.apply(im, new Random(42)));
		assertFalse(Arrays.equals(rrc.apply(im, new Random(42)), rrc.apply(im, new Random(43))));
	}

	@Test
	void rectanglesRespectScaleRatioAndBounds() {
		RandomResizedCrop rrc = new RandomResizedCrop(CLIP32);
		Random random = new Random(1);
		for (int i = 0; i < 1000; i++) {
			int[] r = rrc.sampleRectangle(300, 200, random);
			int top = r[0], left = r[1], h = r[2], w = r[3];
			assertTrue(top >= 0 && left >= 0 && top + h <= 200 && left + w <= 300, Arrays.toString(r));
			double area = (double) w * h / (300 * 200);
			assertTrue(area > 0.78 && area < 1.02, "area " + area);
			assertTrue(w / (double) h > 0.74 && w / (double) h < 1.35, "ratio " + w / (double) h);
		}
	}

	@Test
	void impossibleRatioFallsBackToCentreCrop() {
		RandomResizedCrop rrc = new RandomResizedCrop(CLIP32);
		assertArrayEquals(new int[] {0, 493, 10, 13}, rrc.sampleRectangle(1000, 10, new Random(0)));
		assertArrayEquals(new int[] {493, 0, 13, 10}, rrc.sampleRectangle(10, 1000, new Random(0)));
	}

	@Test
	void wholeImageCropEqualsPlainResize() {
		RandomResizedCrop whole = new RandomResizedCrop(CLIP32, 1, 1, 4 / 3.0, 4 / 3.0, 0, 0);
		float[] expected = new float[3 * 32 * 32];
		CLIP32.normalizeInto(PilResize.resize(IMAGE, 32, 32), expected, 0);
		assertArrayEquals(expected, whole.apply(IMAGE, new Random(5)));
	}

	@Test
	void flipsMirrorTheOutput() {
		float[] plain = new RandomResizedCrop(CLIP32, 1, 1, 4 / 3.0, 4 / 3.0, 0, 0).apply(IMAGE, new Random(5));
		float[] h = new RandomResizedCrop(CLIP32, 1, 1, 4 / 3.0, 4 / 3.0, 1, 0).apply(IMAGE, new Random(5));
		float[] v = new RandomResizedCrop(CLIP32, 1, 1, 4 / 3.0, 4 / 3.0, 0, 1).apply(IMAGE, new Random(5));
		assertFalse(Arrays.equals(plain, h));
		assertFalse(Arrays.equals(plain, v));
		for (int c = 0; c < 3; c++) {
			for (int i = 0; i < 32; i++) {
				for (int j = 0; j < 32; j++) {
					float p = plain[c * 1024 + i * 32 + j];
					assertEquals(p, h[c * 1024 + i * 32 + (31 - j)]);
					assertEquals(p, v[c * 1024 + (31 - i) * 32 + j]);
				}
			}
		}
	}
}
