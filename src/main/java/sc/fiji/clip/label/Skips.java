package sc.fiji.clip.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Files left out of a run: how many, and the first reasons as {@code "file: reason"} lines. Not thread-safe. */
final class Skips {

	private final int maxLines;
	private final List<String> lines = new ArrayList<>();
	private int count;

	Skips(int maxLines) {
		this.maxLines = maxLines;
	}

	void add(String file, String reason) {
		count++;
		if (lines.size() < maxLines) lines.add(file + ": " + reason);
	}

	int count() {
		return count;
	}

	List<String> lines() {
		return Collections.unmodifiableList(new ArrayList<>(lines));
	}
}
