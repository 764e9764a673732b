package sc.fiji.clip.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Files left out of a run: how many, and the first reasons as {@code "file: reason"} lines. Not thread-safe. */
public final class Skips {

	/** A file left out and why. */
	public static final class Entry {
		private final String file, reason;

		Entry(String file, String reason) {
			this.file = file;
			this.reason = reason;
		}

		/** The file's name as its rows would carry it. */
		public String file() {
			return file;
		}

		public String reason() {
			return reason;
		}

		@Override
		public String toString() {
			return file + ": " + reason;
		}
	}

	private final int maxLines;
	private final List<Entry> kept = new ArrayList<>();
	private int count;

	/** Keeps the first {@code maxLines} reasons. */
	public Skips(int maxLines) {
		this.maxLines = maxLines;
	}

	/** Counts a file left out, and keeps its reason if there is room. */
	public void add(String file, String reason) {
		count++;
		if (kept.size() < maxLines) kept.add(new Entry(file, reason));
	}

	/** Number of files left out. */
	public int count() {
		return count;
	}

	/** The files and reasons kept. */
	public List<Entry> entries() {
		return List.copyOf(kept);
	}

	/** The reasons kept, as {@code "file: reason"}. */
	public List<String> lines() {
		List<String> lines = new ArrayList<>();
		for (Entry e : kept) lines.add(e.toString());
		return Collections.unmodifiableList(lines);
	}
}
