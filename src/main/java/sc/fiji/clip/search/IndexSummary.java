package sc.fiji.clip.search;

import java.util.List;
import java.util.Locale;

/** What an index run did: files kept unchanged, embedded, dropped and skipped, rows in the index, time taken. */
public final class IndexSummary {

	private final int keptFiles, embeddedFiles, removedFiles, skipped;
	private final long rows, embeddedPlanes;
	private final List<String> skipLines;
	private final boolean cancelled;
	private final double seconds;

	IndexSummary(int keptFiles, int embeddedFiles, long embeddedPlanes, int removedFiles, long rows, int skipped,
		List<String> skipLines, boolean cancelled, double seconds)
	{
		this.keptFiles = keptFiles;
		this.embeddedFiles = embeddedFiles;
		this.embeddedPlanes = embeddedPlanes;
		this.removedFiles = removedFiles;
		this.rows = rows;
		this.skipped = skipped;
		this.skipLines = List.copyOf(skipLines);
		this.cancelled = cancelled;
		this.seconds = seconds;
	}

	/** Files whose rows were kept because they had not changed. */
	public int keptFiles() {
		return keptFiles;
	}

	/** Files embedded in this run: new or changed. */
	public int embeddedFiles() {
		return embeddedFiles;
	}

	/** Planes embedded in this run. */
	public long embeddedPlanes() {
		return embeddedPlanes;
	}

	/** Files dropped because they are gone, changed into unreadable files, or no longer under the indexed paths. */
	public int removedFiles() {
		return removedFiles;
	}

	/** Rows in the index written. */
	public long rows() {
		return rows;
	}

	/** Files that could not be read. */
	public int skipped() {
		return skipped;
	}

	/** The first reasons, {@code "file: reason"}. */
	public List<String> skipLines() {
		return skipLines;
	}

	/** Whether the run was cancelled; the index then holds what was embedded before. */
	public boolean cancelled() {
		return cancelled;
	}

	/** Wall-clock seconds. */
	public double seconds() {
		return seconds;
	}

	/** Planes embedded per second. */
	public double planesPerSecond() {
		return seconds > 0 ? embeddedPlanes / seconds : 0;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%d rows: %s embedded (%d planes, %.1f images/s), %d unchanged, %d "
			+ "dropped, %d skipped in %.1f s%s", rows, embeddedFiles == 1 ? "1 file" : embeddedFiles + " files", embeddedPlanes,
			planesPerSecond(), keptFiles, removedFiles, skipped, seconds, cancelled ? " (cancelled: run again to embed the rest)" : "");
	}
}
