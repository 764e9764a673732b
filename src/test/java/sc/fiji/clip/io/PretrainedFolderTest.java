package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbConversion;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/**
 * A Hugging Face CLIP folder loads end to end (config, safetensors, BPE tokenizer, image processor) and reproduces
 * transformers from raw texts and image files; packed into a model .zip it gives the same results.
 */
class PretrainedFolderTest {

	@TempDir
	Path dir;

	@Test
	void huggingFaceFolderReproducesTransformersFromTextsAndFiles() throws Exception {
		Path fixture = Fixtures.hfClipTiny();
		JsonObject expected = Fixtures.expected();
		Path zip = dir.resolve("tiny.zip");
		try (ClipModel model = ModelFiles.load(fixture, Device.cpu())) {
			assertMatches(model, fixture, expected);
			ModelFiles.save(model, zip);
		}
		try (ClipModel packed = ModelFiles.load(zip, Device.cpu())) {
			assertMatches(packed, fixture, expected);
		}
	}

	private static void assertMatches(ClipModel model, Path fixture, JsonObject expected) throws Exception {
		List<String> texts = new ArrayList<>();
		for (JsonElement e : expected.getAsJsonArray("texts")) texts.add(e.getAsJsonObject().get("text").getAsString());
		float[][] embeddings = model.embedTexts(texts);
		for (int i = 0; i < texts.size(); i++) {
			JsonObject t = expected.getAsJsonArray("texts").get(i).getAsJsonObject();
			assertClose(floats(t.getAsJsonArray("text_embeds_normalized")), embeddings[i], texts.get(i));
		}
		ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		for (JsonElement e : expected.getAsJsonArray("images")) {
			JsonObject image = e.getAsJsonObject();
			float[] pixels = processor.process(RgbConversion.read(fixture.resolve(image.get("file").getAsString())));
			assertEquals(3 * 32 * 32, pixels.length);
			float[] embedding = model.embedImages(pixels, 1)[0];
			assertClose(floats(image.getAsJsonArray("image_embeds_normalized")), embedding, image.get("file").getAsString());
		}
		assertArrayEquals(new int[] { 49406, 320, 1125, 539, 320, 2368, 49407 }, model.tokenizer().encode("a photo of a cat"));
	}

	private static void assertClose(float[] expected, float[] actual, String what) {
		double worst = 0;
		for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
		assertTrue(worst < 1e-4, what + ": max abs difference " + worst);
	}

	private static float[] floats(com.google.gson.JsonArray a) {
		float[] r = new float[a.size()];
		for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsFloat();
		return r;
	}
}
