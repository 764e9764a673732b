package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionClassesTest {

	private final CaptionClasses classes = CaptionClasses.of(List.of("red cell", "nucleus", " red cell", ""));

	@Test
	void namesAreSortedWithoutRepeatsOrBlanks() {
		assertEquals(List.of("nucleus", "red cell"), classes.names());
	}

	@Test
	void aCaptionNamesAClassByWholeWordsIgnoringCaseAndPunctuation() {
		assertEquals(1, classes.classOf(List.of("A Red-cell, stained.")));
		assertEquals(0, classes.classOf(List.of("no cell here", "one nucleus")));
		assertEquals(CaptionClasses.NONE, classes.classOf(List.of("a redcell", "nuclei")));
		assertEquals(CaptionClasses.SEVERAL, classes.classOf(List.of("red cell", "with a nucleus")));
		assertEquals(1, classes.classOf(List.of("red cell", "the red cell again")));
	}
}
