package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

class LabelSetTest {

	@TempDir
	Path dir;

	@Test
	void commaListIsSplitAndStrippedKeepingOrderAndCase() {
		LabelSet labels = LabelSet.parseList(" Cell, nucleus ,background \"dark\"");
		assertEquals(List.of("Cell", "nucleus", "background \"dark\""), labels.labels());
		assertEquals(3, labels.size());
	}

	@Test
	void oneLabelIsAllowed() {
		assertEquals(List.of("cell"), LabelSet.parseList("cell").labels());
		assertEquals(List.of("cell"), LabelSet.of("cell").labels());
	}

	@Test
	void emptyListIsRejected() {
		ClipException e = assertThrows(ClipException.class, () -> LabelSet.parseList(""));
		assertTrue(e.getMessage().startsWith("No labels given"), e.getMessage());
		assertThrows(ClipException.class, () -> LabelSet.parseList("   "));
		assertThrows(ClipException.class, () -> LabelSet.of(List.of()));
	}

	@Test
	void blankLabelsAreRejectedNamingTheirPosition() {
		ClipException e = assertThrows(ClipException.class, () -> LabelSet.parseList("a,,b"));
		assertTrue(e.getMessage().startsWith("Label 2 of the label list \"a,,b\" is empty"), e.getMessage());
		e = assertThrows(ClipException.class, () -> LabelSet.parseList("a,b,   "));
		assertTrue(e.getMessage().startsWith("Label 3 of the label list \"a,b,   \" is blank (only spaces)"),
			e.getMessage());
		e = assertThrows(ClipException.class, () -> LabelSet.of("a", " "));
		assertTrue(e.getMessage().contains("Label 2"), e.getMessage());
		assertFalse(e.getMessage().contains("\n"));
	}

	@Test
	void duplicatesAreRejectedNamingTheLabelAndBothPlaces() {
		ClipException e = assertThrows(ClipException.class, () -> LabelSet.parseList("cat,dog, cat"));
		assertTrue(e.getMessage().startsWith("The label \"cat\" appears twice in the label list"), e.getMessage());
		assertTrue(e.getMessage().contains("(label 1 and label 3)"), e.getMessage());
		assertEquals(2, LabelSet.of("Cat", "cat").size(), "case matters");
	}

	@Test
	void fileHasOneLabelPerLineWithTrailingEmptyLinesIgnored() throws IOException {
		Path file = Files.write(dir.resolve("labels.txt"),
			"\uFEFFmitosis\r\ninterphase, late\n apoptosis \n\n".getBytes(StandardCharsets.UTF_8));
		assertEquals(List.of("mitosis", "interphase, late", "apoptosis"), LabelSet.fromFile(file).labels());
	}

	@Test
	void fileWithBlankLineDuplicateOrNoLabelIsRejectedNamingTheLine() throws IOException {
		Path blank = Files.write(dir.resolve("blank.txt"), "a\n  \nb\n".getBytes(StandardCharsets.UTF_8));
		ClipException e = assertThrows(ClipException.class, () -> LabelSet.fromFile(blank));
		assertTrue(e.getMessage().startsWith("Line 2 of the labels file " + blank + " is blank"), e.getMessage());
		Path twice = Files.write(dir.resolve("twice.txt"), "a\nb\na\n".getBytes(StandardCharsets.UTF_8));
		e = assertThrows(ClipException.class, () -> LabelSet.fromFile(twice));
		assertTrue(e.getMessage().contains("\"a\" appears twice") && e.getMessage().contains("(line 1 and line 3)"),
			e.getMessage());
		Path empty = Files.write(dir.resolve("empty.txt"), "\n\n".getBytes(StandardCharsets.UTF_8));
		e = assertThrows(ClipException.class, () -> LabelSet.fromFile(empty));
		assertTrue(e.getMessage().contains("holds no label"), e.getMessage());
	}

	@Test
	void unreadableOrNonUtf8FileIsAClearError() throws IOException {
		ClipException e = assertThrows(ClipException.class, () -> LabelSet.fromFile(dir.resolve("missing.txt")));
		assertTrue(e.getMessage().startsWith("Cannot read the labels file"), e.getMessage());
		Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] { 'c', (byte) 0xE9, '\n' });
		e = assertThrows(ClipException.class, () -> LabelSet.fromFile(latin1));
		assertTrue(e.getMessage().contains("is not UTF-8"), e.getMessage());
	}
}
