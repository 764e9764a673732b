package sc.fiji.clip.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a scan left out or noticed, so the user can fix their folder: how many rows or images were skipped and the
 * first few reasons as {@code "file: reason"} lines, plus how many duplicate rows were collapsed and how many captions
 * are longer than {@value DatasetScanner#LONG_CAPTION_CHARS} characters (kept; the tokenizer truncates them).
 */
public final class SkipReport {

	/** Number of reasons kept by default. */
	public static final int DEFAULT_MAX_LINES = 20;

	private static final SkipReport EMPTY = new SkipReport(0, List.of(), 0, 0);

	private final int count;
	private final List<String> lines;
	private final int duplicatesCollapsed;
	private final int longCaptions;

	private SkipReport(int count, List<String> lines, int duplicatesCollapsed, int longCaptions) {
		this.count = count;
		this.lines = Collections.unmodifiableList(new ArrayList<>(lines));
		this.duplicatesCollapsed = duplicatesCollapsed;
		this.longCaptions = longCaptions;
	}

	/** A report with nothing skipped. */
	public static SkipReport empty() {
		return EMPTY;
	}

	/** Number of rows (caption table) or images (other layouts) skipped. */
	public int count() {
		return count;
	}

	/** The first skip reasons, {@code "file: reason"}, at most the scanner's limit. */
	public List<String> lines() {
		return lines;
	}

	/** Whether nothing was skipped. */
	public boolean isEmpty() {
		return count == 0;
	}

	/** Number of exact duplicate rows (same image, same caption) collapsed into one. */
	public int duplicatesCollapsed() {
		return duplicatesCollapsed;
	}

	/** Number of captions longer than {@value DatasetScanner#LONG_CAPTION_CHARS} characters (kept). */
	public int longCaptions() {
		return longCaptions;
	}

	/** Several lines for a log: the count, the reasons kept, and how many more were not listed. */
	public String summary() {
		StringBuilder sb = new StringBuilder();
		sb.append(count).append(" skipped");
		if (count > 0) sb.append(':');
		for (String line : lines) sb.append("\n  ").append(line);
		if (count > lines.size()) sb.append("\n  ... and ").append(count - lines.size()).append(" more");
		if (duplicatesCollapsed > 0) sb.append('\n').append(duplicatesCollapsed).append(" duplicate rows collapsed");
		if (longCaptions > 0) {
			sb.append('\n').append(longCaptions).append(longCaptions == 1 ? " caption is" : " captions are")
					.append(" longer than ").append(DatasetScanner.LONG_CAPTION_CHARS)
					.append(" characters (kept; the tokenizer truncates them)");
		}
		return sb.toString();
	}

	@Override
	public String toString() {
		return summary();
	}

	/** Collects skips during a scan. Not thread-safe. */
	static final class Builder {

		private final int maxLines;
		private final List<String> lines = new ArrayList<>();
		private int count;
		private int duplicates;
		private int longCaptions;

		Builder(int maxLines) {
			if (maxLines < 0) throw new IllegalArgumentException("maxLines must be >= 0, got " + maxLines);
			this.maxLines = maxLines;
		}

		/** Records one skipped row or image. */
		void skip(String file, String reason) {
			count++;
			if (lines.size() < maxLines) lines.add(file + ": " + reason);
		}

		void duplicate() {
			duplicates++;
		}

		void longCaption() {
			longCaptions++;
		}

		int count() {
			return count;
		}

		List<String> lines() {
			return lines;
		}

		SkipReport build() {
			return new SkipReport(count, lines, duplicates, longCaptions);
		}
	}
}
