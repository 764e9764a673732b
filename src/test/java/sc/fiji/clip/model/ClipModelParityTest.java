package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.testing.Fixtures;
import sc.fiji.clip.text.ByteTokenizer;
import sc.fiji.clip.text.TokenBatch;

/**
 * The forward pass reproduces Hugging Face {@code CLIPModel} on the tiny random fixture: token ids and
 * preprocessed pixels from the fixture in, embeddings and logits within the fixture's tolerances out.
 */
class ClipModelParityTest {

	private static final double EMBEDDING_TOLERANCE = 1e-4;
	private static final double LOGIT_TOLERANCE = 7.1e-4;

	private static ClipModel model;
	private static JsonObject expected;
	private static NDManager data;
	private static NDList pixels;

	@BeforeAll
	static void load() throws Exception {
		Path dir = Fixtures.hfClipTiny();
		expected = Fixtures.expected();
		ClipConfig config = ClipConfig.fromJson(Files.readString(dir.resolve("config.json"), StandardCharsets.UTF_8), "fixture");
		data = ClipEngine.get().newBaseManager(Device.cpu());
		List<String> unused = new ArrayList<>();
		try (InputStream in = Files.newInputStream(dir.resolve("model.safetensors"))) {
			NDList weights = NDList.decode(data, in);
			model = ClipModel.build(config, new ByteTokenizer(77), ClipModel.defaultPreprocessing(config), Device.cpu(),
				m -> ClipWeights.fromArrays(new ClipArchitecture(config), weights, m, "fixture", unused));
		}
		assertEquals(List.of("text_model.embeddings.position_ids", "vision_model.embeddings.position_ids"), unused);
		try (InputStream in = Files.newInputStream(dir.resolve("pixel_values.safetensors"))) {
			pixels = NDList.decode(data, in);
		}
	}

	@AfterAll
	static void close() {
		model.close();
		data.close();
	}

	@Test
	void textEmbeddingsMatchTransformers() {
		for (JsonElement e : expected.getAsJsonArray("texts")) {
			JsonObject text = e.getAsJsonObject();
			for (String idsKey : new String[] { "input_ids", "input_ids_padded", "openai_clip_tokenize" }) {
				int[] ids = ints(text.getAsJsonArray(idsKey));
				int length = idsKey.equals("input_ids") ? ids.length : text.getAsJsonArray("input_ids").size();
				TokenBatch batch = new TokenBatch(toLong(ids), new int[] { length }, ids.length);
				try (NDManager scope = model.newScope()) {
					NDArray features = model.textFeatures(batch, scope);
					String what = text.get("text").getAsString() + " via " + idsKey;
					assertClose(floats(text.getAsJsonArray("text_embeds")), features.toFloatArray(), EMBEDDING_TOLERANCE, what);
					assertClose(floats(text.getAsJsonArray("text_embeds_normalized")), ClipModel.normalize(features).toFloatArray(),
						EMBEDDING_TOLERANCE, what);
				}
			}
		}
	}

	@Test
	void imageEmbeddingsMatchTransformers() {
		for (JsonElement e : expected.getAsJsonArray("images")) {
			JsonObject image = e.getAsJsonObject();
			String stem = image.get("file").getAsString().replaceAll("^.*/", "").replace(".png", "");
			try (NDManager scope = model.newScope()) {
				NDArray px = scope.create(pixels.get(stem + ".pixel_values").toFloatArray(), new Shape(1, 3, 32, 32));
				NDArray features = model.imageFeatures(px);
				assertClose(floats(image.getAsJsonArray("image_embeds")), features.toFloatArray(), EMBEDDING_TOLERANCE, stem);
				assertClose(floats(image.getAsJsonArray("image_embeds_normalized")),
					ClipModel.normalize(features).toFloatArray(), EMBEDDING_TOLERANCE, stem);
			}
		}
	}

	@Test
	void logitsMatchTransformers() {
		JsonArray images = expected.getAsJsonArray("images");
		JsonArray texts = expected.getAsJsonArray("texts");
		JsonArray logits = expected.getAsJsonObject("logits_per_image").getAsJsonArray("values");
		assertEquals(14.284856, model.scale(), 1e-5);
		try (NDManager scope = model.newScope()) {
			float[] px = new float[images.size() * 3 * 32 * 32];
			for (int i = 0; i < images.size(); i++) {
				String stem = images.get(i).getAsJsonObject().get("file").getAsString().replaceAll("^.*/", "").replace(".png", "");
				System.arraycopy(pixels.get(stem + ".pixel_values").toFloatArray(), 0, px, i * 3072, 3072);
			}
			int textCount = logits.get(0).getAsJsonArray().size();
			int[][] ids = new int[textCount][];
			for (int t = 0; t < textCount; t++) ids[t] = ints(texts.get(t).getAsJsonObject().getAsJsonArray("input_ids"));
			NDArray imageEmbeddings = model.encodeImages(scope.create(px, new Shape(images.size(), 3, 32, 32)));
			NDArray textEmbeddings = model.encodeTexts(TokenBatch.pad(ids, 49407), scope);
			float[] actual = model.logits(imageEmbeddings, textEmbeddings).toFloatArray();
			float[] wanted = new float[actual.length];
			for (int i = 0; i < images.size(); i++) {
				for (int t = 0; t < textCount; t++) wanted[i * textCount + t] = logits.get(i).getAsJsonArray().get(t).getAsFloat();
			}
			assertClose(wanted, actual, LOGIT_TOLERANCE, "logits_per_image");
		}
	}

	static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
		assertEquals(expected.length, actual.length, what + ": length");
		double worst = 0;
		for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
		assertTrue(worst <= tolerance, what + ": max abs difference " + worst + " > " + tolerance);
	}

	private static int[] ints(JsonArray a) {
		int[] r = new int[a.size()];
		for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
		return r;
	}

	private static long[] toLong(int[] a) {
		long[] r = new long[a.length];
		for (int i = 0; i < a.length; i++) r[i] = a[i];
		return r;
	}

	private static float[] floats(JsonArray a) {
		float[] r = new float[a.size()];
		for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsFloat();
		return r;
	}
}
