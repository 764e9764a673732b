package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionTemplatesTest {

	@TempDir
	Path dir;

	@Test
	void defaultTemplateFillsInTheLabel() {
		assertEquals(List.of("a photo of a mitotic cell."), CaptionTemplates.defaults().apply("mitotic cell"));
	}

	@Test
	void parseSkipsBlankAndCommentLinesAndDuplicates() {
		CaptionTemplates t = CaptionTemplates.parse("# microscopy\n\na {} cell.\r\n  an image of {}  \na {} cell.\n");
		assertEquals(List.of("a {} cell.", "an image of {}"), t.templates());
		assertEquals(List.of("a HeLa cell.", "an image of HeLa"), t.apply("HeLa"));
	}

	@Test
	void everyPlaceholderIsReplaced() {
		assertEquals(List.of("nucleus, a nucleus"), CaptionTemplates.of("{}, a {}").apply("nucleus"));
	}

	@Test
	void templateWithoutPlaceholderInFileNamesFileAndLine() {
		Path file = TestFiles.text(dir.resolve("templates.txt"), "a photo of a {}.\na microscope image\n");
		DatasetException e = assertThrows(DatasetException.class, () -> CaptionTemplates.fromFile(file));
		assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
		assertTrue(e.getMessage().contains("line 2"), e.getMessage());
		assertTrue(e.getMessage().contains("{}"), e.getMessage());
	}

	@Test
	void fromFileReadsUtf8WithBom() {
		Path file = TestFiles.text(dir.resolve("templates.txt"), "\uFEFFune photo d'une {}.\n");
		assertEquals(List.of("une photo d'une cellule."), CaptionTemplates.fromFile(file).apply("cellule"));
	}

	@Test
	void emptyTemplatesAreAnError() {
		DatasetException e = assertThrows(DatasetException.class, () -> CaptionTemplates.parse("# nothing\n\n"));
		assertTrue(e.getMessage().contains("no template"), e.getMessage());
		assertThrows(DatasetException.class, () -> CaptionTemplates.of(List.of()));
		assertThrows(DatasetException.class, () -> CaptionTemplates.of("no placeholder"));
	}
}
