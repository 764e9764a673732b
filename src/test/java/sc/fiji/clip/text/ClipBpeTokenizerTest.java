package sc.fiji.clip.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipBpeTokenizerTest {

	private static final int SOT = 49406;
	private static final int EOT = 49407;

	private static Path fixture;
	/** text -> expected unpadded ids, in fixture order. */
	private static Map<String, int[]> expected;
	private static ClipBpeTokenizer fromJson;
	private static ClipBpeTokenizer fromVocabMerges;
	@TempDir
	static Path shared;

	@BeforeAll
	static void load() throws IOException, URISyntaxException {
		fixture = Paths.get(ClipBpeTokenizerTest.class.getResource("/hf-clip-tiny/tokenizer.json").toURI())
			.getParent();
		expected = new LinkedHashMap<>();
		JsonArray texts = ClipTokenizerJson.readObject(fixture.resolve("expected.json")).getAsJsonArray("texts");
		for (JsonElement t : texts) {
			JsonObject o = t.getAsJsonObject();
			expected.put(o.get("text").getAsString(), ints(o.getAsJsonArray("input_ids")));
		}
		fromJson = ClipBpeTokenizer.fromFolder(fixture, 77);
		Path legacy = Files.createDirectories(shared.resolve("vocab-merges-only"));
		Files.copy(fixture.resolve("vocab.json"), legacy.resolve("vocab.json"));
		Files.copy(fixture.resolve("merges.txt"), legacy.resolve("merges.txt"));
		fromVocabMerges = ClipBpeTokenizer.fromFolder(legacy, 77);
	}

	@AfterAll
	static void close() {
		if (fromJson != null) fromJson.close();
		if (fromVocabMerges != null) fromVocabMerges.close();
	}

	private static int[] ints(JsonArray a) {
		int[] r = new int[a.size()];
		for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
		return r;
	}

	private static String twoHundredWords() {
		String[] words = ("the quick brown fox jumps over a lazy dog while cells divide under the microscope and "
			+ "nuclei glow green").split(" ");
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < 200; i++) sb.append(i == 0 ? "" : " ").append(words[i % words.length]);
		return sb.toString();
	}

	/** Strings a user can type or paste, and some nobody should. */
	private static List<String> oddStrings() {
		List<String> odd = new ArrayList<>(Arrays.asList("", " ", "   \t\n  ", "\u00a0\u2003", "\u0000",
			"\u0001\u0002\u001f\u007f\u0085", "a\u0000b", "\u200b\u200d\ufeff", "\ud83d\ude42\ud83d\ude42",
			"\ud83d\udc69\u200d\ud83d\udd2c", "\ud800", "\udc00", "a\ud800b", "x \udfff\ud800 y", "\ud83d",
			"emoji \ud83d\ude42 then lone \ud800", "\uffff\ufffe\ufffd", "<|endoftext|>", "<|startoftext|> a",
			"<|ENDOFTEXT|>", "'s't're", "İstanbul ß ǅ", "\u0301\u0301\u0301", "日本語のテキスト", "مرحبا",
			"&amp; &lt;b&gt;", "\\u0000", "%s %d {} ${x}", "\r\n\r\n"));
		StringBuilder longWord = new StringBuilder();
		StringBuilder longMixed = new StringBuilder();
		Random r = new Random(42);
		for (int i = 0; i < 10_000; i++) {
			longWord.append('a');
			longMixed.append((char) (r.nextInt(0x3000) + 1));
		}
		odd.add(longWord.toString());
		odd.add(longMixed.toString());
		odd.add(twoHundredWords());
		StringBuilder spaces = new StringBuilder();
		for (int i = 0; i < 10_000; i++) spaces.append(' ');
		odd.add(spaces.toString());
		return odd;
	}

	@Test
	void fixtureHasTheHardCases() {
		// guard: the tests below must not pass on a fixture that lacks the cases they are meant to check
		for (String text : new String[] {"", "naïve café", "emoji \ud83d\ude42 test", "A Photo Of A CAT!!",
			"  multiple   spaces\tand tabs "}) {
			assertTrue(expected.containsKey(text), "fixture lacks " + text);
		}
		assertTrue(expected.values().stream().anyMatch(ids -> ids.length == 77), "fixture lacks a truncated text");
	}

	@Test
	void encodeGivesTheFixtureIdsForEveryTextFromTokenizerJson() {
		for (Map.Entry<String, int[]> e : expected.entrySet()) {
			assertArrayEquals(e.getValue(), fromJson.encode(e.getKey()), "text: " + e.getKey());
		}
	}

	@Test
	void encodeGivesTheFixtureIdsForEveryTextFromVocabAndMerges() {
		for (Map.Entry<String, int[]> e : expected.entrySet()) {
			assertArrayEquals(e.getValue(), fromVocabMerges.encode(e.getKey()), "text: " + e.getKey());
		}
	}

	@Test
	void vocabAndMergesRouteMatchesTokenizerJsonOnOddStrings() {
		for (String text : oddStrings()) {
			assertArrayEquals(fromJson.encode(text), fromVocabMerges.encode(text), "text: " + text);
		}
	}

	@Test
	void mergesBeyondTheVocabularyAreIgnoredAsInOpenAisFullMergeFile(@TempDir Path dir) throws IOException {
		Files.copy(fixture.resolve("vocab.json"), dir.resolve("vocab.json"));
		// OpenAI's bpe_simple_vocab_16e6.txt goes on with merges whose results CLIP's vocabulary does not hold
		String merges = new String(Files.readAllBytes(fixture.resolve("merges.txt")), StandardCharsets.UTF_8)
			+ "photo cat</w>\nthe photo\n";
		Files.write(dir.resolve("merges.txt"), merges.getBytes(StandardCharsets.UTF_8));
		try (ClipBpeTokenizer t = ClipBpeTokenizer.fromFolder(dir, 77)) {
			for (Map.Entry<String, int[]> e : expected.entrySet()) {
				assertArrayEquals(e.getValue(), t.encode(e.getKey()), "text: " + e.getKey());
			}
			assertArrayEquals(fromJson.encode("photocat thephoto"), t.encode("photocat thephoto"));
		}
	}

	@Test
	void specialIdsComeFromTheTokenizerFiles() {
		for (ClipBpeTokenizer t : new ClipBpeTokenizer[] {fromJson, fromVocabMerges}) {
			assertEquals(SOT, t.startId(), t.toString());
			assertEquals(EOT, t.endId(), t.toString());
			assertEquals(EOT, t.padId(), t.toString());
			assertEquals(49408, t.vocabularySize(), t.toString());
			assertEquals(77, t.contextLength(), t.toString());
		}
	}

	@Test
	void padTokenNamedInTheConfigIsUsed(@TempDir Path dir) throws IOException {
		// open_clip exports to the Hub name "!" (id 0) as pad token
		Files.copy(fixture.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
		Files.write(dir.resolve("tokenizer_config.json"),
			"{\"pad_token\": \"!\", \"model_max_length\": 77}".getBytes(StandardCharsets.UTF_8));
		try (ClipBpeTokenizer t = ClipBpeTokenizer.fromFolder(dir)) {
			assertEquals(0, t.padId());
			TokenBatch b = t.encodeBatch(Arrays.asList("a photo of a cat", ""));
			assertEquals(0, b.id(1, 2));
			assertEquals(EOT, b.id(1, 1));
			assertArrayEquals(new int[] {SOT, 256, EOT}, t.encode("!"), "'!' as a word is '!</w>', not the pad");
		}
	}

	@Test
	void truncationKeepsStartFirst75TokensAndEnd() throws IOException {
		String text = twoHundredWords();
		int[] full;
		try (ClipBpeTokenizer wide = ClipBpeTokenizer.fromFolder(fixture, 512)) {
			full = wide.encode(text);
		}
		assertTrue(full.length > 200, "the 200-word text must be longer than the context: " + full.length);
		int[] expectedIds = Arrays.copyOf(full, 77);
		expectedIds[76] = EOT; // clip.tokenize(truncate=True)
		for (ClipBpeTokenizer t : new ClipBpeTokenizer[] {fromJson, fromVocabMerges}) {
			assertArrayEquals(expectedIds, t.encode(text));
		}
	}

	@Test
	void nativeTokenizerItselfTruncatesToTheContext() throws IOException {
		// DJL does not truncate unless told: maxLength, modelMaxLength (maxLength is lowered to it) and truncation
		int[] expectedIds = fromJson.encode(twoHundredWords());
		try (HuggingFaceTokenizer raw = ClipBpeTokenizer.newTokenizer(fixture.resolve("tokenizer.json"), 77)) {
			long[] ids = raw.encode(twoHundredWords()).getIds();
			assertEquals(77, ids.length);
			for (int i = 0; i < ids.length; i++) assertEquals(expectedIds[i], ids[i], "position " + i);
			assertEquals(2, raw.encode("").getIds().length, "no padding");
		}
	}

	@Test
	void truncationKeepsTheEndTokenAtAnyContextLength() throws IOException {
		for (int context : new int[] {2, 3, 8, 76}) {
			try (ClipBpeTokenizer t = ClipBpeTokenizer.fromFolder(fixture, context)) {
				for (String text : oddStrings()) {
					int[] ids = t.encode(text);
					assertTrue(ids.length >= 2 && ids.length <= context, context + ": " + ids.length);
					assertEquals(SOT, ids[0]);
					assertEquals(EOT, ids[ids.length - 1]);
				}
				int[] cat = t.encode("a photo of a cat");
				assertEquals(Math.min(7, context), cat.length);
			}
		}
		StringBuilder words = new StringBuilder();
		for (int i = 0; i < 2000; i++) words.append("a ");
		try (ClipBpeTokenizer t = ClipBpeTokenizer.fromFolder(fixture, 1000)) {
			// DJL caps maxLength at modelMaxLength (512 unless set)
			assertEquals(1000, t.encode(words.toString()).length);
		}
		assertThrows(IllegalArgumentException.class, () -> ClipBpeTokenizer.fromFolder(fixture, 1));
	}

	@Test
	void batchesArePaddedWithThePadIdAndMatchSingleEncodings() {
		List<String> texts = Arrays.asList("a photo of a cat", "", twoHundredWords(), "emoji \ud83d\ude42 test");
		TokenBatch b = fromJson.encodeBatch(texts);
		assertEquals(4, b.size());
		assertEquals(77, b.length());
		for (int i = 0; i < texts.size(); i++) {
			int[] single = fromJson.encode(texts.get(i));
			assertEquals(single.length, b.length(i));
			for (int j = 0; j < b.length(); j++) {
				assertEquals(j < single.length ? single[j] : fromJson.padId(), b.id(i, j), "text " + i + " pos " + j);
			}
		}
		assertEquals(EOT, b.id(1, 2)); // pad 49407 after SOT EOT
	}

	@Test
	void neverThrowsOnOddStrings() {
		for (String text : oddStrings()) {
			int[] ids = assertDoesNotThrow(() -> fromJson.encode(text), "text: " + text);
			assertTrue(ids.length >= 2 && ids.length <= 77, "length " + ids.length);
			assertEquals(SOT, ids[0]);
			assertEquals(EOT, ids[ids.length - 1]);
			for (int id : ids) assertTrue(id >= 0 && id < fromJson.vocabularySize(), "id " + id);
		}
		assertDoesNotThrow(() -> fromJson.encodeBatch(oddStrings()));
		assertArrayEquals(new int[] {SOT, EOT}, fromJson.encode(" \t\n "));
	}

	@Test
	void unpairedSurrogatesBecomeReplacementCharactersAndSpareTheRest() {
		assertArrayEquals(fromJson.encode("emoji \ud83d\ude42 then \ufffd"),
			fromJson.encode("emoji \ud83d\ude42 then \ud800"));
		assertArrayEquals(fromJson.encode("a\ufffdb"), fromJson.encode("a\udc00b"));
		assertNotEquals(fromJson.encode("a b").length, fromJson.encode("a\ud800b").length);
		assertEquals("\ud83d\ude42\ufffd\ufffd", ClipBpeTokenizer.replaceUnpairedSurrogates("\ud83d\ude42\ude42\ud83d"));
		String clean = "no surrogates";
		assertTrue(clean == ClipBpeTokenizer.replaceUnpairedSurrogates(clean));
	}

	@Test
	void encodingFromSeveralThreadsGivesTheSameIds() throws Exception {
		List<String> texts = new ArrayList<>(expected.keySet());
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<int[]>> results = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				String text = texts.get(i % texts.size());
				results.add(pool.submit(() -> fromJson.encode(text)));
			}
			for (int i = 0; i < results.size(); i++) {
				assertArrayEquals(expected.get(texts.get(i % texts.size())), results.get(i).get());
			}
		} finally {
			pool.shutdown();
		}
	}

	@Test
	void closedTokenizerRefusesToEncodeAndClosesTwiceQuietly() throws IOException {
		ClipBpeTokenizer t = ClipBpeTokenizer.fromFolder(fixture, 77);
		assertEquals(7, t.encode("a photo of a cat").length);
		t.close();
		assertThrows(IllegalStateException.class, () -> t.encode("a photo of a cat"));
		assertThrows(IllegalStateException.class, () -> t.encodeBatch(Arrays.asList("a")));
		assertDoesNotThrow(t::close);
	}

	@Test
	void folderWithoutTokenizerFilesGivesAnErrorNamingFolderAndFiles(@TempDir Path dir) throws IOException {
		Path weightsOnly = Files.createDirectories(dir.resolve("weights-only"));
		Files.write(weightsOnly.resolve("pytorch_model.bin"), new byte[16]);
		IOException e = assertThrows(IOException.class, () -> ClipBpeTokenizer.fromFolder(weightsOnly, 77));
		assertTrue(e instanceof NoSuchFileException, e.toString());
		for (String s : new String[] {weightsOnly.toString(), "tokenizer.json", "vocab.json", "merges.txt",
			"pytorch_model.bin"}) {
			assertTrue(e.getMessage().contains(s), "message lacks " + s + ": " + e.getMessage());
		}

		Path empty = Files.createDirectories(dir.resolve("empty"));
		e = assertThrows(IOException.class, () -> ClipBpeTokenizer.fromFolder(empty, 77));
		assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("tokenizer.json")
			&& e.getMessage().contains("empty folder"), e.getMessage());

		Path vocabOnly = Files.createDirectories(dir.resolve("vocab-only"));
		Files.copy(fixture.resolve("vocab.json"), vocabOnly.resolve("vocab.json"));
		e = assertThrows(IOException.class, () -> ClipBpeTokenizer.fromFolder(vocabOnly, 77));
		assertTrue(e.getMessage().contains("merges.txt") && e.getMessage().contains("found vocab.json"),
			e.getMessage());

		Path missing = dir.resolve("does-not-exist");
		e = assertThrows(IOException.class, () -> ClipBpeTokenizer.fromFolder(missing, 77));
		assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not a folder"),
			e.getMessage());
	}

	@Test
	void brokenTokenizerJsonGivesAnIoException(@TempDir Path dir) throws IOException {
		Files.write(dir.resolve("tokenizer.json"), "{\"model\": ".getBytes(StandardCharsets.UTF_8));
		IOException e = assertThrows(IOException.class, () -> ClipBpeTokenizer.fromFolder(dir, 77));
		assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
	}

	@Test
	void contextLengthComesFromTheTokenizerAndModelConfigs(@TempDir Path dir) throws IOException {
		assertEquals(77, ClipBpeTokenizer.contextLengthOf(fixture));
		assertEquals(77, ClipBpeTokenizer.contextLengthOf(dir)); // nothing there: CLIP's
		Files.write(dir.resolve("tokenizer_config.json"),
			"{\"model_max_length\": 1000000000000000019884624838656}".getBytes(StandardCharsets.UTF_8));
		assertEquals(77, ClipBpeTokenizer.contextLengthOf(dir)); // transformers' "unset"
		Files.write(dir.resolve("config.json"),
			"{\"text_config\": {\"max_position_embeddings\": 64}}".getBytes(StandardCharsets.UTF_8));
		assertEquals(64, ClipBpeTokenizer.contextLengthOf(dir));
		Files.write(dir.resolve("tokenizer_config.json"),
			"{\"model_max_length\": 32}".getBytes(StandardCharsets.UTF_8));
		assertEquals(32, ClipBpeTokenizer.contextLengthOf(dir));
	}

	@Test
	void speedOfTenThousandShortCaptions() {
		String[] adjectives = {"red", "green", "dividing", "fluorescent", "blurry", "large", "small", "round"};
		String[] nouns = {"cell", "nucleus", "mitochondrion", "neuron", "cat", "banana", "tissue", "organoid"};
		List<String> captions = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			captions.add("a photo of a " + adjectives[i % 8] + " " + nouns[(i / 8) % 8] + " number " + i);
		}
		for (int i = 0; i < 2_000; i++) fromJson.encode(captions.get(i)); // warm up
		long t0 = System.nanoTime();
		long sum = 0;
		for (String c : captions) sum += fromJson.encode(c).length;
		double single = (System.nanoTime() - t0) / 1e9;
		t0 = System.nanoTime();
		TokenBatch b = fromJson.encodeBatch(captions);
		double batch = (System.nanoTime() - t0) / 1e9;
		System.out.printf("ClipBpeTokenizer speed: encode %.0f texts/s, encodeBatch %.0f texts/s "
			+ "(10 000 captions, %.1f ids each, %d cores)%n", captions.size() / single, captions.size() / batch,
			sum / (double) captions.size(), Runtime.getRuntime().availableProcessors());
		assertEquals(10_000, b.size());
	}
}
