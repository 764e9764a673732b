package sc.fiji.clip.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Files left out of a run: how many, and the first reasons as {@code "file: reason"} lines. Not thread-safe. */
public final class Skips {

	private final int maxLines;
	private final List<String> lines = new ArrayList<>();
	private int count;

	/** Keeps the first {@code maxLines} reasons. */
	public Skips(int maxLines) {
		this.maxLines = maxLines;
	}

	/** Counts a file left out, and keeps its reason if there is room. */
	public void add(String file, String reason) {
		count++;
		if (lines.size() < maxLines) lines.add(file + ": " + reason);
	}

	/** Number of files left out. */
	public int count() {
		return count;
	}

	/** The reasons kept. */
	public List<String> lines() {
		return Collections.unmodifiableList(new ArrayList<>(lines));
	}
}
