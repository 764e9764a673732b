package sc.fiji.clip.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small reader for delimited text as written by spreadsheets and pandas, following RFC 4180: fields quoted with
 * {@code "} may hold the separator, line breaks and doubled quotes {@code ""}; records end at CRLF, LF or CR.
 * <p>
 * Why not a library: a well-kept CSV library (Commons CSV, opencsv, Jackson) would be the first choice, but none ships
 * with Fiji, and adding one to the plugin's update site for this one table is more weight than these hundred lines.
 * <p>
 * Beyond RFC 4180, it is lenient where spreadsheets and hand-edited files differ from the standard: any separator
 * (comma, semicolon, tab), spaces before an opening quote, a quote inside an unquoted field (kept as a character) and
 * text after a closing quote (appended). An unterminated quoted field is an error naming the line it starts on. The
 * caller decodes the bytes and removes a byte order mark first.
 */
final class CsvReader {

	/** One record: its fields and the physical line it starts on (1-based). */
	static final class Record {
		final int line;
		final List<String> fields;

		Record(int line, List<String> fields) {
			this.line = line;
			this.fields = Collections.unmodifiableList(fields);
		}

		/** Whether every field is empty or white space (a blank line, or a row of empty cells). */
		boolean isBlank() {
			for (String f : fields) if (!f.isBlank()) return false;
			return true;
		}

		@Override
		public String toString() {
			return line + ": " + fields;
		}
	}

	private CsvReader() {}

	/**
	 * Parses {@code text} into records, blank lines included (as records whose fields are all empty).
	 *
	 * @param fileName names the source in error messages
	 * @throws DatasetException if a quoted field is not closed
	 */
	static List<Record> parse(String text, char separator, String fileName) {
		if (separator == '"' || separator == '\n' || separator == '\r') {
			throw new IllegalArgumentException("separator cannot be a quote or a line break");
		}
		List<Record> records = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		int line = 1;
		int recordLine = 1;
		int quoteLine = 0;
		boolean inQuotes = false;
		boolean quoted = false; // the current field had an opening quote
		int n = text.length();
		int i = 0;
		while (i < n) {
			char c = text.charAt(i);
			if (inQuotes) {
				if (c == '"') {
					if (i + 1 < n && text.charAt(i + 1) == '"') {
						field.append('"');
						i += 2;
						continue;
					}
					inQuotes = false;
				} else {
					if (c == '\n' || (c == '\r' && !(i + 1 < n && text.charAt(i + 1) == '\n'))) line++;
					field.append(c);
				}
				i++;
				continue;
			}
			if (c == separator) {
				fields.add(field.toString());
				field.setLength(0);
				quoted = false;
				i++;
			} else if (c == '\n' || c == '\r') {
				fields.add(field.toString());
				records.add(new Record(recordLine, fields));
				fields = new ArrayList<>();
				field.setLength(0);
				quoted = false;
				if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
				i++;
				line++;
				recordLine = line;
			} else if (c == '"' && !quoted && field.toString().isBlank()) {
				// opening quote, possibly after spaces, which are dropped
				field.setLength(0);
				inQuotes = true;
				quoted = true;
				quoteLine = line;
				i++;
			} else {
				field.append(c);
				i++;
			}
		}
		if (inQuotes) {
			throw new DatasetException(fileName + ", line " + quoteLine + ": a quoted field starts here but its closing "
					+ "quote \" is missing, so the rest of the file would be one field. Close the quote, or double "
					+ "quotes that belong to the text (\"\" stands for one \").");
		}
		if (field.length() > 0 || !fields.isEmpty() || quoted) {
			fields.add(field.toString());
			records.add(new Record(recordLine, fields));
		}
		return records;
	}
}
