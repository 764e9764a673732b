package sc.fiji.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClipImageProcessorTest {

	private static final ClipImageProcessor CLIP32 = new ClipImageProcessor(ImagePreprocessing.openAiClip(32));

	private static float normalised(int value, int channel) {
		float x = (float) (value * (1 / 255.0));
		float[] mean = {0.48145466f, 0.4578275f, 0.40821073f};
		float[] std = {0.26862954f, 0.26130258f, 0.27577711f};
		return (x - mean[channel]) / std[channel];
	}

	@Test
	void imageSmallerThanCropIsZeroPaddedLikeTransformers() {
		ClipImageProcessor p = new ClipImageProcessor(ImagePreprocessing.builder().doResize(false).cropSize(32, 32).build());
		RgbImage im = PilResizeTest.constant(21, 24, 200, 100, 50);
		float[] out = p.process(im);
		assertEquals(3 * 32 * 32, out.length);
		// HF center_crop: top = (24 - 32) // 2 = -4, left = (21 - 32) // 2 = -6: the image covers rows 4..27, columns 6..26
		for (int c = 0; c < 3; c++) {
			int v = new int[] {200, 100, 50}[c];
			for (int i = 0; i < 32; i++) {
				for (int j = 0; j < 32; j++) {
					boolean inside = i >= 4 && i < 28 && j >= 6 && j < 27;
					assertEquals(normalised(inside ? v : 0, c), out[c * 1024 + i * 32 + j], "c=" + c + " i=" + i + " j=" + j);
				}
			}
		}
		RgbImage crop = p.resizeAndCrop(im);
		assertEquals(0, crop.get(5, 3, 0));
		assertEquals(200, crop.get(6, 4, 0));
		assertEquals(0, crop.get(27, 27, 0));
	}

	@Test
	void rescaleUsesDoubleThenNormalisesInFloat() {
		RgbImage im = PilResizeTest.constant(32, 32, 1, 128, 255);
		float[] out = CLIP32.process(im);
		assertEquals(normalised(1, 0), out[0]);
		assertEquals(normalised(128, 1), out[1024]);
		assertEquals(normalised(255, 2), out[2048]);
	}

	@Test
	void processIntoFillsOneBatchBuffer() {
		RgbImage a = PilResizeTest.noise(50, 80, 1), b = PilResizeTest.noise(100, 70, 2);
		int n = 3 * 32 * 32;
		float[] batch = new float[1 + 2 * n];
		batch[0] = 42;
		CLIP32.processInto(a, batch, 1);
		CLIP32.processInto(b, batch, 1 + n);
		assertEquals(42, batch[0]);
		assertArrayEquals(CLIP32.process(a), Arrays.copyOfRange(batch, 1, 1 + n));
		assertArrayEquals(CLIP32.process(b), Arrays.copyOfRange(batch, 1 + n, 1 + 2 * n));
		assertThrows(IllegalArgumentException.class, () -> CLIP32.processInto(a, batch, 2 + n));
	}

	@Test
	void croppedResizeEqualsFullResizeThenCrop() {
		RgbImage im = PilResizeTest.pattern(200, 90);
		int[] hw = CLIP32.resizedSize(200, 90);
		assertArrayEquals(new int[] {32, 71}, hw);
		RgbImage full = PilResize.resize(im, hw[1], hw[0]);
		assertArrayEquals(full.crop((71 - 32) / 2, 0, 32, 32).data(), CLIP32.resizeAndCrop(im).data());
	}

	@Test
	void extremeSizesDoNotThrow() {
		ClipImageProcessor clip224 = new ClipImageProcessor(ImagePreprocessing.openAiClip(224));
		for (int[] s : new int[][] {{1000, 700}, {1, 1}, {3, 5}, {5000, 2}, {224, 224}}) {
			float[] out = clip224.process(PilResizeTest.noise(s[0], s[1], 7));
			assertEquals(3 * 224 * 224, out.length);
			for (float v : out) assertEquals(false, Float.isNaN(v));
		}
	}

	@Test
	void timeToPreprocess512To224() {
		ClipImageProcessor clip224 = new ClipImageProcessor(ImagePreprocessing.openAiClip(224));
		RgbImage im = PilResizeTest.noise(512, 512, 9);
		float[] dst = new float[3 * 224 * 224];
		for (int i = 0; i < 30; i++) clip224.processInto(im, dst, 0);
		int n = 100;
		long t0 = System.nanoTime();
		for (int i = 0; i < n; i++) clip224.processInto(im, dst, 0);
		double ms = (System.nanoTime() - t0) / 1e6 / n;
		RgbImage big = PilResizeTest.noise(1000, 700, 9);
		for (int i = 0; i < 10; i++) clip224.processInto(big, dst, 0);
		t0 = System.nanoTime();
		for (int i = 0; i < 20; i++) clip224.processInto(big, dst, 0);
		double msBig = (System.nanoTime() - t0) / 1e6 / 20;
		System.out.printf("preprocess 512x512 -> 224: %.2f ms/image; 1000x700 -> 224: %.2f ms/image%n", ms, msBig);
		assertEquals(dst.length, clip224.outputLength(im));
	}
}
