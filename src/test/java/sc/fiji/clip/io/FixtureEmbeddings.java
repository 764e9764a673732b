package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/** Checks a loaded model against the hf-clip-tiny fixture's {@code expected.json} (texts and image files, 1e-4). */
public final class FixtureEmbeddings {

	private FixtureEmbeddings() {}

	public static void assertMatches(ClipModel model) throws Exception {
		Path fixture = Fixtures.hfClipTiny();
		JsonObject expected = Fixtures.expected();
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
	}

	private static void assertClose(float[] expected, float[] actual, String what) {
		assertEquals(expected.length, actual.length, what);
		double worst = 0;
		for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
		assertTrue(worst < 1e-4, what + ": max abs difference " + worst);
	}

	private static float[] floats(JsonArray a) {
		float[] r = new float[a.size()];
		for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsFloat();
		return r;
	}
}
