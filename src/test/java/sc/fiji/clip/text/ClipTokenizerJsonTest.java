package sc.fiji.clip.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer.json built from vocab.json + merges.txt, checked against the one transformers wrote. */
class ClipTokenizerJsonTest {

	private static Path fixture;

	@BeforeAll
	static void findFixture() throws URISyntaxException {
		fixture = Paths.get(ClipTokenizerJsonTest.class.getResource("/hf-clip-tiny/tokenizer.json").toURI())
			.getParent();
	}

	private static JsonObject build(Path vocab, Path merges) throws IOException {
		return ClipTokenizerJson.fromVocabAndMerges(vocab, merges, "<|startoftext|>", "<|endoftext|>",
			"<|endoftext|>");
	}

	@Test
	void builtTokenizerJsonEqualsTheHuggingFaceOne() throws IOException {
		JsonObject built = build(fixture.resolve("vocab.json"), fixture.resolve("merges.txt"));
		JsonObject hf = ClipTokenizerJson.readObject(fixture.resolve("tokenizer.json"));
		assertEquals(hf.keySet(), built.keySet());
		for (String key : hf.keySet()) {
			if (!key.equals("model")) assertEquals(hf.get(key), built.get(key), key);
		}
		JsonObject hfModel = hf.getAsJsonObject("model"), builtModel = built.getAsJsonObject("model");
		assertEquals(hfModel.keySet(), builtModel.keySet());
		for (String key : hfModel.keySet()) assertEquals(hfModel.get(key), builtModel.get(key), "model." + key);
		assertEquals(hf, built);
	}

	@Test
	void writtenFileReadsBackEqual(@TempDir Path dir) throws IOException {
		JsonObject built = build(fixture.resolve("vocab.json"), fixture.resolve("merges.txt"));
		Path file = dir.resolve("tokenizer.json");
		ClipTokenizerJson.write(built, file);
		assertEquals(built, ClipTokenizerJson.readObject(file));
		String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		assertTrue(text.contains("\"<|startoftext|>\"") && text.contains("\"dropout\":null"), "no HTML escaping, "
			+ "nulls kept");
	}

	@Test
	void mergesStopWhereTheVocabularyEndsAsInOpenAisFullMergeFile(@TempDir Path dir) throws IOException {
		String merges = new String(Files.readAllBytes(fixture.resolve("merges.txt")), StandardCharsets.UTF_8);
		Files.write(dir.resolve("merges.txt"), (merges + "photo cat</w>\nthe photo\n")
			.getBytes(StandardCharsets.UTF_8));
		JsonObject built = build(fixture.resolve("vocab.json"), dir.resolve("merges.txt"));
		assertEquals(48894, built.getAsJsonObject("model").getAsJsonArray("merges").size());
	}

	@Test
	void malformedMergeLineIsReportedWithItsLineNumber(@TempDir Path dir) throws IOException {
		Files.write(dir.resolve("merges.txt"), "#version: 0.2\ni n\nt h e\n".getBytes(StandardCharsets.UTF_8));
		IOException e = assertThrows(IOException.class, () -> build(fixture.resolve("vocab.json"),
			dir.resolve("merges.txt")));
		assertTrue(e.getMessage().contains("line 3"), e.getMessage());
	}

	@Test
	void vocabularyWithoutTheSpecialTokensIsRefused(@TempDir Path dir) throws IOException {
		Files.write(dir.resolve("vocab.json"), "{\"a\": 0, \"b\": 1, \"ab\": 2}".getBytes(StandardCharsets.UTF_8));
		Files.write(dir.resolve("merges.txt"), "a b\n".getBytes(StandardCharsets.UTF_8));
		IOException e = assertThrows(IOException.class, () -> build(dir.resolve("vocab.json"),
			dir.resolve("merges.txt")));
		assertTrue(e.getMessage().contains("<|startoftext|>"), e.getMessage());
	}
}
