package sc.fiji.clip.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

	private final ByteTokenizer tokenizer = new ByteTokenizer(32);

	@Test
	void wrapsUtf8BytesInStartAndEndTokens() {
		assertArrayEquals(new int[] { 257, 'a' + 1, 'b' + 1, 258 }, tokenizer.encode("ab"));
		assertArrayEquals(new int[] { 257, 258 }, tokenizer.encode(""));
		assertEquals("naïve café", tokenizer.decode(tokenizer.encode("naïve café")));
	}

	@Test
	void truncationKeepsTheEndToken() {
		int[] ids = tokenizer.encode("x".repeat(10_000));
		assertEquals(32, ids.length);
		assertEquals(tokenizer.startId(), ids[0]);
		assertEquals(tokenizer.endId(), ids[31]);
	}

	@Test
	void neverThrowsAndStaysInTheVocabularyOnOddStrings() {
		for (String s : new String[] { "", " ", "\u0000\u0002\u0003", "emoji 🙂🧫", "\uD800 lone surrogate", "\t\r\n", null,
			"long ".repeat(5000) })
		{
			int[] ids = tokenizer.encode(s);
			assertTrue(ids.length >= 2 && ids.length <= 32);
			for (int id : ids) assertTrue(id > tokenizer.padId() && id < tokenizer.vocabularySize(), "id " + id);
			for (int i = 1; i < ids.length - 1; i++) assertTrue(ids[i] <= 256, "special token inside the text");
		}
	}

	@Test
	void batchesArePaddedToTheLongestText() {
		TokenBatch batch = tokenizer.encodeBatch(List.of("a", "abc"));
		assertEquals(5, batch.length());
		assertEquals(3, batch.length(0));
		assertEquals(tokenizer.padId(), batch.id(0, 4));
		assertEquals(tokenizer.endId(), batch.id(1, 4));
	}
}
