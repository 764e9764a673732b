package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacroOptionsTest {

	enum Mode { FAST, CAREFUL }

	@Test
	void parsesKeyValuesBracketedValuesAndBareKeywords() {
		Map<String, Object> parsed = MacroOptions.parse("model=[/p/my model.zip] labels=[a,b] count=3 flag");
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put("model", "/p/my model.zip");
		expected.put("labels", "a,b");
		expected.put("count", "3");
		expected.put("flag", Boolean.TRUE);
		assertEquals(expected, parsed);
	}

	@Test
	void parsesNestedBracketsSingleQuotesAndEmptyValues() {
		Map<String, Object> parsed = MacroOptions.parse("a=[x [y] z] b='p q' c= d=[] e=");
		assertEquals("x [y] z", parsed.get("a"));
		assertEquals("p q", parsed.get("b"));
		assertEquals("", parsed.get("c"));
		assertEquals("", parsed.get("d"));
		assertEquals("", parsed.get("e"));
	}

	@Test
	void lowerCasesKeysAndKeepsTheFirstOfDuplicates() {
		Map<String, Object> parsed = MacroOptions.parse("Text=first text=second");
		assertEquals(Map.of("text", "first"), parsed);
	}

	@Test
	void keyValueTextInsideBracketsIsNotAnOption() {
		Map<String, Object> parsed = MacroOptions.parse("text=[count=5 flag] count=2");
		assertEquals("count=5 flag", parsed.get("text"));
		assertEquals("2", parsed.get("count"));
		assertEquals(2, parsed.size());
	}

	@Test
	void blankOrNullOptionsAreEmpty() {
		assertTrue(MacroOptions.parse(null).isEmpty());
		assertTrue(MacroOptions.parse("   ").isEmpty());
	}

	@Test
	void unclosedBracketIsAnErrorNamingTheOption() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> MacroOptions.parse("count=3 text=[hello world"));
		assertTrue(e.getMessage().contains("'text'"), e.getMessage());
	}

	@Test
	void formatsLikeFijisRecorderEveryInputAsKeyEqualsValue() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("model", new File("/p/my model.zip"));
		options.put("labels", "a,b");
		options.put("count", 3);
		options.put("scale", 0.5);
		options.put("whole", 2.0);
		options.put("flag", true);
		options.put("off", false);
		options.put("unset", null);
		options.put("mode", Mode.CAREFUL);
		options.put("Image Title", "blobs.gif");
		assertEquals("model=[/p/my model.zip] labels=a,b count=3 scale=0.5 whole=2 flag=true off=false mode=CAREFUL "
				+ "image=blobs.gif",
				MacroOptions.format(options));
	}

	@Test
	void formatEnclosesValuesThatNeedIt() {
		assertEquals("[]", MacroOptions.formatValue(""));
		assertEquals("[a b]", MacroOptions.formatValue("a b"));
		assertEquals("[[x]]", MacroOptions.formatValue("[x]"));
		assertEquals("'a ] b'", MacroOptions.formatValue("a ] b"));
		assertEquals("a]b", MacroOptions.formatValue("a]b"));
		assertThrows(IllegalArgumentException.class, () -> MacroOptions.formatValue("it's ] odd"));
	}

	@Test
	void formatRejectsKeysThatCollide() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("Count", 1);
		options.put("count", 2);
		assertThrows(IllegalArgumentException.class, () -> MacroOptions.format(options));
	}

	@ParameterizedTest
	@ValueSource(strings = {
		"model=[/p/my model.zip] labels=a,b",
		"text=[hello world] count=3 flag=true image=blobs.gif",
		"a=[x [y] z] b='p ] q' c=[]",
		"flag=false other=true",
		""
	})
	void formatOfParseGivesTheStringBack(String options) {
		assertEquals(options, MacroOptions.format(MacroOptions.parse(options)));
	}

	@Test
	void formatOfParseDropsNeedlessBrackets() {
		assertEquals("labels=a,b count=3", MacroOptions.format(MacroOptions.parse("labels=[a,b]   count='3'")));
	}

	@Test
	void parseOfFormatGivesTheOptionsBack() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("text", "hello [big] world");
		options.put("path", "C:\\Program Files\\x");
		options.put("quote", "it's fine");
		options.put("odd", "a ] b");
		options.put("empty", "");
		options.put("flag", "true");
		assertEquals(options, MacroOptions.parse(MacroOptions.format(options)));
	}

	@Test
	void keysAreCutAtTheFirstSpaceOrColonLikeImageJ() {
		assertEquals("model", MacroOptions.key("Model file:"));
		assertEquals("labels", MacroOptions.key("Labels (comma separated)"));
		assertEquals("modelfile", MacroOptions.key("modelFile"));
	}

	@Test
	void runStatementQuotesCommandAndOptions() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("model", "/p/m.zip");
		options.put("labels", "say \"hi\", there");
		assertEquals("run(\"Label Images...\", \"model=/p/m.zip labels=[say \\\"hi\\\", there]\");",
				MacroOptions.runStatement("Label Images...", options));
		assertEquals("run(\"Close All\");", MacroOptions.runStatement("Close All", Map.of()));
	}
}
