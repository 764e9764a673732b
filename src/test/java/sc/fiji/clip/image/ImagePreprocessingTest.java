package sc.fiji.clip.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ImagePreprocessingTest {

	@Test
	void legacyFeatureExtractorConfigParsesWithDefaults() throws IOException {
		ImagePreprocessing p = ImagePreprocessing.read(Fixture.dir().resolve("preprocessor_config.json"));
		assertTrue(p.doResize());
		assertEquals(32, p.shortestEdge());
		assertEquals(32, p.cropHeight());
		assertEquals(32, p.cropWidth());
		assertTrue(p.doCenterCrop());
		assertTrue(p.doRescale());
		assertEquals(1 / 255.0, p.rescaleFactor());
		assertTrue(p.doNormalize());
		assertArrayEquals(new double[] {0.48145466, 0.4578275, 0.40821073}, p.mean());
		assertArrayEquals(new double[] {0.26862954, 0.26130258, 0.27577711}, p.std());
		assertEquals(ImagePreprocessing.openAiClip(32), p);
		assertEquals(p, ImagePreprocessing.read(Fixture.dir()), "a checkpoint directory reads its preprocessor_config.json");
	}

	@Test
	void dictConfigParses() {
		ImagePreprocessing p = ImagePreprocessing.fromJson("{\"size\": {\"shortest_edge\": 224}, \"crop_size\": {\"height\": 200, \"width\": 180},"
			+ " \"do_rescale\": true, \"rescale_factor\": 0.5, \"do_normalize\": false, \"image_mean\": [0.5, 0.5, 0.5],"
			+ " \"image_std\": [0.25, 0.5, 1.0], \"resample\": 3, \"image_processor_type\": \"CLIPImageProcessor\"}");
		assertEquals(224, p.shortestEdge());
		assertEquals(200, p.cropHeight());
		assertEquals(180, p.cropWidth());
		assertEquals(0.5, p.rescaleFactor());
		assertFalse(p.doNormalize());
		assertArrayEquals(new double[] {0.25, 0.5, 1.0}, p.std());
	}

	@Test
	void fixedSizeResizeAndEmptyConfigParse() {
		ImagePreprocessing fixed = ImagePreprocessing.fromJson("{\"size\": {\"height\": 256, \"width\": 128}, \"crop_size\": [64, 32], \"image_mean\": 0.5}");
		assertEquals(0, fixed.shortestEdge());
		assertEquals(256, fixed.resizeHeight());
		assertEquals(128, fixed.resizeWidth());
		assertEquals(64, fixed.cropHeight());
		assertEquals(32, fixed.cropWidth());
		assertArrayEquals(new double[] {0.5, 0.5, 0.5}, fixed.mean());
		assertArrayEquals(new int[] {256, 128}, new ClipImageProcessor(fixed).resizedSize(1000, 10));
		assertEquals(ImagePreprocessing.openAiClip(224), ImagePreprocessing.fromJson("{}"), "transformers' defaults");
	}

	@Test
	void toJsonRoundTrips() {
		ImagePreprocessing[] all = {
			ImagePreprocessing.openAiClip(32),
			ImagePreprocessing.builder().shortestEdge(336).cropSize(300, 320).rescaleFactor(0.00392156862745098)
				.mean(0.5, 0.4, 0.3).std(0.2, 0.1, 0.7).doNormalize(false).build(),
			ImagePreprocessing.builder().resize(64, 48).doCenterCrop(false).doRescale(false).build()};
		for (ImagePreprocessing p : all) {
			String json = p.toJson();
			assertEquals(p, ImagePreprocessing.fromJson(json), json);
		}
		JsonObject o = JsonParser.parseString(ImagePreprocessing.openAiClip(224).toJson()).getAsJsonObject();
		assertEquals(224, o.getAsJsonObject("size").get("shortest_edge").getAsInt());
		assertEquals(224, o.getAsJsonObject("crop_size").get("height").getAsInt());
		assertEquals(3, o.get("resample").getAsInt());
		assertEquals("CLIPImageProcessor", o.get("image_processor_type").getAsString());
		assertEquals("0.48145466", o.getAsJsonArray("image_mean").get(0).toString());
	}

	@Test
	void unsupportedResamplingIsRejected() {
		assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.fromJson("{\"resample\": 2}"));
		assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.fromJson("{\"image_mean\": [0.5, 0.5]}"));
		assertThrows(IllegalArgumentException.class, () -> ImagePreprocessing.builder().std(1, 0, 1).build());
	}
}
