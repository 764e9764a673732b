package sc.fiji.clip.label;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Writes {@link LabelResult} rows as CSV: {@code image,c,z,t,label,score,label2,score2,...,labelK,scoreK}, then, if
 * all scores are written, one {@code p:<label>} column per label in the label set's order.
 * <p>
 * Labels are written exactly as given, quoted as RFC 4180 says (fields holding a comma, a double quote or a line
 * break are enclosed in double quotes, inner quotes doubled); lines end with {@code \n}. Probabilities have six
 * decimals. The channel is empty for rows of merged channels ({@link LabelResult#channel()} 0).
 * <p>
 * The header is written by the constructor. Write errors surface as {@link UncheckedIOException}; the writer is not
 * closed by this class.
 */
public final class LabelCsvWriter implements Consumer<LabelResult>, Flushable {

	private final Writer out;
	private final int topK;
	private final int labelCount, regionColumns;
	private final StringBuilder line = new StringBuilder(256);

	/**
	 * A CSV writer for rows with {@code topK} labels, with a {@code p:} column per label of {@code allScores}, or
	 * none if it is null.
	 */
	public LabelCsvWriter(Writer out, int topK, LabelSet allScores) {
		this(out, topK, allScores, List.of());
	}

	/**
	 * As {@link #LabelCsvWriter(Writer, int, LabelSet)}, with columns that say which region of the plane a row
	 * labels (a tile, an ROI) after {@code t}, filled by {@link #accept(LabelResult, Object...)}.
	 */
	public LabelCsvWriter(Writer out, int topK, LabelSet allScores, List<String> regionColumns) {
		this.out = Objects.requireNonNull(out, "out");
		if (topK < 1) throw new IllegalArgumentException("topK must be >= 1, was " + topK);
		this.topK = topK;
		this.labelCount = allScores == null ? 0 : allScores.size();
		this.regionColumns = regionColumns.size();
		List<String> columns = new ArrayList<>(header(topK, allScores));
		List<String> region = new ArrayList<>();
		for (String c : regionColumns) region.add(quote(c));
		columns.addAll(4, region);
		write(String.join(",", columns));
	}

	/** A CSV writer with the columns a labeller's rows fill (the {@code p:} columns if it keeps all scores). */
	public static LabelCsvWriter forLabeller(Writer out, ZeroShotLabeller labeller) {
		return new LabelCsvWriter(out, labeller.topK(), labeller.allScores() ? labeller.classifier().labels() : null);
	}

	/** The column names (quoted where needed). */
	public static List<String> header(int topK, LabelSet allScores) {
		List<String> columns = new ArrayList<>(List.of("image", "c", "z", "t", "label", "score"));
		for (int k = 2; k <= topK; k++) {
			columns.add("label" + k);
			columns.add("score" + k);
		}
		if (allScores != null) {
			for (String label : allScores.labels()) columns.add(quote("p:" + label));
		}
		return columns;
	}

	@Override
	public void accept(LabelResult row) {
		accept(row, new Object[0]);
	}

	/** Writes {@code row} with the values of the region columns. */
	public void accept(LabelResult row, Object... region) {
		if (region.length != regionColumns) {
			throw new IllegalArgumentException(region.length + " region values for " + regionColumns + " columns");
		}
		if (row.topK() < topK) {
			throw new IllegalArgumentException("row has " + row.topK() + " labels, the header " + topK);
		}
		if (labelCount > 0 && !row.hasAllScores()) {
			throw new IllegalArgumentException("row has no scores of all labels, the header asks for them");
		}
		line.setLength(0);
		line.append(quote(row.image())).append(',');
		if (row.channel() > 0) line.append(row.channel());
		line.append(',').append(row.slice()).append(',').append(row.frame());
		for (Object value : region) line.append(',').append(quote(String.valueOf(value)));
		for (int k = 0; k < topK; k++) {
			line.append(',').append(quote(row.label(k))).append(',');
			appendProbability(line, row.score(k));
		}
		for (int i = 0; i < labelCount; i++) {
			line.append(',');
			appendProbability(line, row.probability(i));
		}
		write(line);
	}

	private void write(CharSequence text) {
		try {
			out.append(text).append('\n');
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	public void flush() {
		try {
			out.flush();
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A field as RFC 4180 writes it: quoted if it holds a comma, a double quote, CR or LF. */
	public static String quote(String field) {
		boolean needs = false;
		for (int i = 0; i < field.length() && !needs; i++) {
			char c = field.charAt(i);
			needs = c == ',' || c == '"' || c == '\n' || c == '\r';
		}
		return needs ? '"' + field.replace("\"", "\"\"") + '"' : field;
	}

	/** {@code p} in {@code [0, 1]} with six decimals, e.g. {@code 0.031250}. */
	static void appendProbability(StringBuilder sb, float p) {
		if (Float.isNaN(p)) {
			sb.append("NaN");
			return;
		}
		long micro = Math.round(Math.max(0, Math.min(1, (double) p)) * 1e6);
		sb.append(micro / 1_000_000).append('.');
		String frac = Long.toString(micro % 1_000_000);
		for (int i = frac.length(); i < 6; i++) sb.append('0');
		sb.append(frac);
	}
}
