package sc.fiji.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PilResizeTest {

	static RgbImage noise(int w, int h, long seed) {
		byte[] data = new byte[w * h * 3];
		new Random(seed).nextBytes(data);
		return new RgbImage(w, h, data);
	}

	static RgbImage constant(int w, int h, int r, int g, int b) {
		RgbImage im = new RgbImage(w, h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				im.set(x, y, 0, r);
				im.set(x, y, 1, g);
				im.set(x, y, 2, b);
			}
		}
		return im;
	}

	@Test
	void downscalingLargeImageKeepsConstantColourExactly() {
		RgbImage out = PilResize.resize(constant(1000, 700, 7, 128, 250), 320, 224);
		assertEquals(320, out.width());
		assertEquals(224, out.height());
		assertArrayEquals(constant(320, 224, 7, 128, 250).data(), out.data());
	}

	@Test
	void upscalingTinyImagesWorks() {
		RgbImage one = constant(1, 1, 1, 2, 255);
		assertArrayEquals(constant(7, 5, 1, 2, 255).data(), PilResize.resize(one, 7, 5).data());
		RgbImage small = noise(3, 5, 1);
		RgbImage big = PilResize.resize(small, 224, 373);
		assertEquals(224 * 373 * 3, big.data().length);
		RgbImage back = PilResize.resize(big, 1, 1);
		assertEquals(1, back.width());
	}

	@Test
	void unchangedSizeCopies() {
		RgbImage im = noise(13, 9, 2);
		RgbImage out = PilResize.resize(im, 13, 9);
		assertNotSame(im.data(), out.data());
		assertArrayEquals(im.data(), out.data());
	}

	@Test
	void regionResizeEqualsCropThenResize() {
		RgbImage im = noise(60, 45, 3);
		RgbImage viaRegion = PilResize.resize(im, 7, 5, 31, 37, 24, 24);
		RgbImage viaCrop = PilResize.resize(im.crop(7, 5, 31, 37), 24, 24);
		assertArrayEquals(viaCrop.data(), viaRegion.data());
	}

	@Test
	void windowEqualsCropOfFullResizeForEveryPassCombination() {
		RgbImage im = noise(50, 40, 4);
		int[][] sizes = {{30, 70}, {50, 25}, {80, 40}, {50, 40}};
		for (int[] s : sizes) {
			RgbImage full = PilResize.resize(im, s[0], s[1]);
			int wx = 3, wy = 2, ww = s[0] - 5, wh = s[1] - 4;
			byte[] window = new byte[ww * wh * 3];
			PilResize.resizeWindow(im, 0, 0, 50, 40, s[0], s[1], wx, wy, ww, wh, window);
			assertArrayEquals(full.crop(wx, wy, ww, wh).data(), window, s[0] + "x" + s[1]);
		}
	}

	@Test
	void singlePassResizeWorksRowByRow() {
		RgbImage im = noise(40, 6, 5);
		RgbImage wide = PilResize.resize(im, 17, 6);
		for (int y = 0; y < 6; y++) {
			assertArrayEquals(PilResize.resize(im.crop(0, y, 40, 1), 17, 1).data(), wide.crop(0, y, 17, 1).data());
		}
	}

	/** The pattern {@code (31x + 17y + 101c + 40 (xy mod 7)) mod 256}: smooth ramps with sharp wrap-around edges. */
	static RgbImage pattern(int w, int h) {
		RgbImage im = new RgbImage(w, h);
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				for (int c = 0; c < 3; c++) im.set(x, y, c, (x * 31 + y * 17 + c * 101 + (x * y % 7) * 40) % 256);
			}
		}
		return im;
	}

	static String sha256(byte[] data) {
		try {
			StringBuilder hex = new StringBuilder();
			for (byte b : MessageDigest.getInstance("SHA-256").digest(data)) hex.append(String.format("%02x", b));
			return hex.toString();
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * SHA-256 of {@code np.asarray(pattern.resize((outW, outH), Image.BICUBIC)).tobytes()} computed with Pillow 9.4
	 * (Debian bookworm's python3-pil) for the same pattern.
	 */
	@ParameterizedTest
	@CsvSource({
		"1000, 700, 320, 224, 2e96d2836feb66a71efef80f0314ae3f9eeffd25a12652bbc57285b55bc31672",
		"1000, 700, 37, 300, 72b2e3c7a42a47eb940fbe83a7f2284c7d6345c98f0eed473bbaa8fea866aece",
		"3, 5, 224, 373, a5ae3fbf9042d27f471c774a0dfdcf3793843181d21221de44c8268246e070f2",
		"1, 1, 7, 5, 156e53f31ce2e1d6ec4ed97bf0320c897ac2d7e9761124ddc889210bad787d95",
		"700, 1, 3, 1, c11a54f3d8fbeeb154ce787466943ec71b248387a9f96c9718ce3cce0cf68d12",
		"512, 512, 224, 224, 83c2ca83b21686d4b2402a0baa5ffad330df0490d17813dba0bd4fe735343a7c",
		"40, 6, 17, 6, bab2c2778e3db9b248e5bf01a4227cc38b3959152571acc25ebf68de3150da45",
		"50, 40, 50, 25, 565d44014be8f5affda59be114e6f255117416d8a93b16cc327c787cfa071680"})
	void resizeMatchesPillowBitForBit(int w, int h, int outW, int outH, String pillowSha256) {
		assertEquals(pillowSha256, sha256(PilResize.resize(pattern(w, h), outW, outH).data()));
	}

	@Test
	void regionResizeMatchesPillowCropThenResize() {
		// pattern(60, 45).crop((7, 5, 38, 42)).resize((24, 24), Image.BICUBIC) in Pillow 9.4
		assertEquals("964923e77c18b2388bfbfb81ce498d9d4525b3e90beaff202a4eafcdbcfc2870",
			sha256(PilResize.resize(pattern(60, 45), 7, 5, 31, 37, 24, 24).data()));
	}
}
