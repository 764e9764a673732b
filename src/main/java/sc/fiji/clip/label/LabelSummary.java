package sc.fiji.clip.label;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a labelling run did: planes and images labelled, files skipped (with the first reasons), time taken. */
public final class LabelSummary {

	private final long planes;
	private final int images;
	private final int skipped;
	private final List<Skips.Entry> skips;
	private final boolean cancelled;
	private final double seconds;

	LabelSummary(long planes, int images, Skips skips, boolean cancelled, double seconds) {
		this.planes = planes;
		this.images = images;
		this.skipped = skips.count();
		this.skips = skips.entries();
		this.cancelled = cancelled;
		this.seconds = seconds;
	}

	/** Number of planes labelled (rows delivered). */
	public long planes() {
		return planes;
	}

	/** Number of images (open images and files) with at least one plane labelled. */
	public int images() {
		return images;
	}

	/** Number of files (or folders) skipped because they could not be read. */
	public int skipped() {
		return skipped;
	}

	/** The first skip reasons, {@code "file: reason"}. */
	public List<String> skipLines() {
		List<String> lines = new ArrayList<>();
		for (Skips.Entry e : skips) lines.add(e.toString());
		return Collections.unmodifiableList(lines);
	}

	/** The first files skipped, with their reasons. */
	public List<Skips.Entry> skipEntries() {
		return skips;
	}

	/** Whether the run was cancelled before it finished. */
	public boolean cancelled() {
		return cancelled;
	}

	/** Wall-clock seconds the run took. */
	public double seconds() {
		return seconds;
	}

	/** Planes labelled per second. */
	public double planesPerSecond() {
		return seconds > 0 ? planes / seconds : 0;
	}

	/** Several lines for a log: the number skipped, the reasons kept, and how many more were not listed. */
	public String skipReport() {
		StringBuilder sb = new StringBuilder().append(skipped).append(skipped == 1 ? " file" : " files")
			.append(" skipped");
		if (skipped > 0) sb.append(':');
		for (Skips.Entry e : skips) sb.append("\n  ").append(e);
		if (skipped > skips.size()) sb.append("\n  ... and ").append(skipped - skips.size()).append(" more");
		return sb.toString();
	}

	@Override
	public String toString() {
		return planes + " planes of " + images + " images labelled in " + String.format(java.util.Locale.ROOT, "%.1f s",
			seconds) + (cancelled ? " (cancelled)" : "") + "; " + skipReport();
	}
}
