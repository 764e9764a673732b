package sc.fiji.clip.fiji;

import ij.measure.ResultsTable;
import java.awt.GraphicsEnvironment;

/**
 * Shows a command's table the way macros can read it: as a named window in Fiji, and also as the standard
 * {@code Results} table when headless (ImageJ 1 keeps no named tables headless) or when asked, from where a macro
 * saves it with {@code saveAs("Results", path)}.
 */
final class Tables {

	private Tables() {}

	static boolean headless() {
		return GraphicsEnvironment.isHeadless();
	}

	/** Shows {@code table} titled {@code title}; copies it into Results when headless or {@code toResults}. */
	static void publish(ResultsTable table, String title, boolean toResults) {
		if (!headless()) table.show(title);
		if (headless() || toResults) {
			ResultsTable results = ResultsTable.getResultsTable();
			copyInto(table, results);
			if (!headless()) results.show("Results");
		}
	}

	/** Replaces the rows and columns of {@code to} with those of {@code from}. */
	static void copyInto(ResultsTable from, ResultsTable to) {
		to.reset();
		String[] headings = from.getHeadings();
		for (int row = 0; row < from.size(); row++) {
			to.incrementCounter();
			for (String h : headings) {
				if (h.equals("Label")) {
					to.addLabel(from.getLabel(row));
					continue;
				}
				double v = from.getValue(h, row);
				String s = from.getStringValue(h, row);
				if (Double.isNaN(v) && s != null && !s.equals("NaN")) to.addValue(h, s);
				else to.addValue(h, v);
			}
		}
	}
}
