package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderTest {

	private static List<CsvReader.Record> parse(String text) {
		return CsvReader.parse(text, ',', "t.csv");
	}

	@Test
	void quotedFieldsKeepCommasDoubledQuotesAndLineBreaks() {
		List<CsvReader.Record> records = parse("image,caption\n"
				+ "a.png,\"a cell, dividing\"\n"
				+ "b.png,\"the \"\"big\"\" one\"\n"
				+ "c.png,\"line one\nline two\"\n"
				+ "d.png,after\n");
		assertEquals(5, records.size());
		assertEquals(List.of("a.png", "a cell, dividing"), records.get(1).fields);
		assertEquals(List.of("b.png", "the \"big\" one"), records.get(2).fields);
		assertEquals(List.of("c.png", "line one\nline two"), records.get(3).fields);
		assertEquals(4, records.get(3).line);
		assertEquals(6, records.get(4).line, "line numbers count the line break inside quotes");
	}

	@Test
	void crlfAndLoneCrEndRecords() {
		List<CsvReader.Record> records = parse("image,caption\r\na.png,x\r\nb.png,y\rc.png,z");
		assertEquals(4, records.size());
		assertEquals(List.of("a.png", "x"), records.get(1).fields);
		assertEquals(List.of("c.png", "z"), records.get(3).fields);
		assertEquals(4, records.get(3).line);
	}

	@Test
	void blankLinesAndEmptyCellRowsAreBlankRecords() {
		List<CsvReader.Record> records = parse("image,caption\n\n,\na.png,x\n");
		assertTrue(records.get(1).isBlank());
		assertTrue(records.get(2).isBlank());
		assertEquals(List.of("a.png", "x"), records.get(3).fields);
	}

	@Test
	void emptyQuotedFieldAndTrailingSeparatorGiveEmptyFields() {
		List<CsvReader.Record> records = parse("a,\"\",\n");
		assertEquals(List.of("a", "", ""), records.get(0).fields);
	}

	@Test
	void lenientWithSpacesBeforeQuotesAndStrayQuotes() {
		List<CsvReader.Record> records = parse("a.png, \"x, y\"\nb.png,5\" tall\n");
		assertEquals(List.of("a.png", "x, y"), records.get(0).fields);
		assertEquals(List.of("b.png", "5\" tall"), records.get(1).fields);
	}

	@Test
	void otherSeparators() {
		assertEquals(List.of("a.png", "x, y"), CsvReader.parse("a.png;x, y", ';', "t.csv").get(0).fields);
		assertEquals(List.of("a.png", "x; y"), CsvReader.parse("a.png\tx; y", '\t', "t.tsv").get(0).fields);
	}

	@Test
	void unclosedQuoteNamesFileAndLineWhereItStarts() {
		DatasetException e = assertThrows(DatasetException.class,
				() -> parse("image,caption\na.png,x\nb.png,\"never closed\nc.png,z\n"));
		assertTrue(e.getMessage().startsWith("t.csv, line 3:"), e.getMessage());
	}
}
