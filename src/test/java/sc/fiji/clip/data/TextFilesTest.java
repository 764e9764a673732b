package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextFilesTest {

	@Test
	void invalidUtf8IsReportedWithLineAndBytes() {
		byte[] bytes = "one\ntwo\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
		TextFiles.NotUtf8 e = assertThrows(TextFiles.NotUtf8.class, () -> TextFiles.decodeUtf8(bytes, "x.csv"));
		assertEquals(3, e.line);
		assertTrue(e.getMessage().startsWith("x.csv is not valid UTF-8 text: line 3 contains 0xE9"), e.getMessage());
	}

	@Test
	void truncatedMultiByteSequenceAtEndIsInvalid() {
		byte[] bytes = {'o', 'k', '\n', (byte) 0xE2, (byte) 0x82};
		TextFiles.NotUtf8 e = assertThrows(TextFiles.NotUtf8.class, () -> TextFiles.decodeUtf8(bytes, "x.txt"));
		assertEquals(2, e.line);
	}

	@Test
	void byteOrderMarkIsRemovedAndUtf8Kept() {
		byte[] bytes = "\uFEFFna\u00efve \u2013 \uD83D\uDD2C".getBytes(StandardCharsets.UTF_8);
		assertEquals("na\u00efve \u2013 \uD83D\uDD2C", TextFiles.decodeUtf8(bytes, "x.txt"));
	}

	@Test
	void linesSplitAtAnyLineBreak() {
		assertEquals(List.of("a", "b", "", "c"), TextFiles.lines("a\r\nb\n\rc"));
		assertEquals(List.of("a"), TextFiles.lines("a\n"));
	}
}
