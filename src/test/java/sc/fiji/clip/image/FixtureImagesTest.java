package sc.fiji.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.gson.JsonObject;
import ij.IJ;
import ij.ImagePlus;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sc.fiji.clip.imagej.RgbConversion;

/** The six fixture PNGs go through conversion, resize, crop and normalisation exactly as HF's PIL path. */
class FixtureImagesTest {

	private static ClipImageProcessor processor;
	private static double maxPixelDiff;
	private static int exactCropBytes, cropBytes;

	static String[] stems() {
		return Fixture.STEMS;
	}

	@BeforeAll
	static void loadProcessor() throws IOException {
		processor = new ClipImageProcessor(ImagePreprocessing.read(Fixture.dir()));
	}

	@AfterAll
	static void report() {
		System.out.printf("fixture images: max |pixel_values - HF| = %.3g, crop bytes exact %d/%d%n", maxPixelDiff, exactCropBytes, cropBytes);
	}

	/** ImageJ for opaque PNGs; the file reader for the RGBA one, since ImageJ's opener composites alpha onto white. */
	static RgbImage open(String stem) throws IOException {
		if (Fixture.expectedImage(stem).get("png_mode").getAsString().contains("A")) {
			return RgbConversion.read(Fixture.image(stem));
		}
		ImagePlus imp = IJ.openImage(Fixture.image(stem).toString());
		assertNotNull(imp, stem);
		return RgbConversion.fromImagePlus(imp);
	}

	@ParameterizedTest
	@MethodSource("stems")
	void resizedSizeTruncatesTheLongSide(String stem) throws IOException {
		JsonObject e = Fixture.expectedImage(stem);
		RgbImage rgb = open(stem);
		assertArrayEquals(new int[] {e.getAsJsonArray("size_wh").get(0).getAsInt(), e.getAsJsonArray("size_wh").get(1).getAsInt()},
			new int[] {rgb.width(), rgb.height()});
		int[] hw = processor.resizedSize(rgb.width(), rgb.height());
		assertEquals(e.getAsJsonArray("resized_hw").get(0).getAsInt(), hw[0]);
		assertEquals(e.getAsJsonArray("resized_hw").get(1).getAsInt(), hw[1]);
	}

	@ParameterizedTest
	@MethodSource("stems")
	void cropBytesEqualPillow(String stem) throws IOException, NoSuchAlgorithmException {
		RgbImage crop = processor.resizeAndCrop(open(stem));
		byte[] expected = Fixture.cropUint8(stem);
		byte[] actual = crop.data();
		int same = 0;
		for (int i = 0; i < Math.min(expected.length, actual.length); i++) if (expected[i] == actual[i]) same++;
		synchronized (FixtureImagesTest.class) {
			exactCropBytes += same;
			cropBytes += expected.length;
		}
		assertEquals(32, crop.width());
		assertEquals(32, crop.height());
		assertArrayEquals(expected, actual, stem);
		JsonObject e = Fixture.expectedImage(stem);
		long sum = 0;
		for (byte b : actual) sum += b & 0xff;
		assertEquals(e.get("crop_uint8_sum").getAsLong(), sum);
		StringBuilder hex = new StringBuilder();
		for (byte b : MessageDigest.getInstance("SHA-256").digest(actual)) hex.append(String.format("%02x", b));
		assertEquals(e.get("crop_uint8_sha256").getAsString(), hex.toString());
	}

	@ParameterizedTest
	@MethodSource("stems")
	void pixelValuesMatchTransformers(String stem) throws IOException {
		float[] actual = processor.process(open(stem));
		float[] expected = Fixture.pixelValues(stem);
		assertEquals(expected.length, actual.length);
		double max = 0;
		for (int i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
		synchronized (FixtureImagesTest.class) {
			maxPixelDiff = Math.max(maxPixelDiff, max);
		}
		assertEquals(0, max, 1e-5, stem);

		JsonObject e = Fixture.expectedImage(stem);
		double sum = 0;
		double[] means = new double[3];
		for (int i = 0; i < actual.length; i++) {
			sum += actual[i];
			means[i / 1024] += actual[i] / 1024.0;
		}
		assertEquals(e.get("pixel_values_sum").getAsDouble(), sum, 1e-3);
		assertArrayEquals(Fixture.doubles(e.getAsJsonArray("pixel_values_channel_means")), means, 1e-6);
		double[] first10 = Fixture.doubles(e.getAsJsonArray("pixel_values_first10"));
		for (int i = 0; i < 10; i++) assertEquals(first10[i], actual[i], 1e-6);
	}

	@ParameterizedTest
	@MethodSource("stems")
	void fileReaderGivesTheSamePixelValues(String stem) throws IOException {
		float[] actual = processor.process(RgbConversion.read(Fixture.image(stem)));
		assertArrayEquals(Fixture.pixelValues(stem), actual, 1e-5f, stem);
	}
}
