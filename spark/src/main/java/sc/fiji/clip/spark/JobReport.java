package sc.fiji.clip.spark;

import java.util.List;
import java.util.Locale;

/** What a job did: partitions run and kept, planes and files, skips, and its wall time. */
public final class JobReport {

	private final String output;
	private final int partitions, kept;
	private final long planes;
	private final int images, skipped;
	private final double seconds;

	JobReport(String output, int partitions, int kept, List<PartitionReport> reports, double seconds) {
		this.output = output;
		this.partitions = partitions;
		this.kept = kept;
		long p = 0;
		int i = 0, s = 0;
		for (PartitionReport r : reports) {
			p += r.planes;
			i += r.images;
			s += r.skipped;
		}
		this.planes = p;
		this.images = i;
		this.skipped = s;
		this.seconds = seconds;
	}

	/** Partitions of the job. */
	public int partitions() {
		return partitions;
	}

	/** Partitions already complete before this run, left as they were. */
	public int kept() {
		return kept;
	}

	/** Planes written by this run. */
	public long planes() {
		return planes;
	}

	/** Files read by this run. */
	public int images() {
		return images;
	}

	/** Files skipped by this run (in the skips table). */
	public int skipped() {
		return skipped;
	}

	public double seconds() {
		return seconds;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%d planes of %d images in %.1f s (%.1f images/s); %d skipped; %d of %d "
			+ "partitions run, %d kept; wrote %s", planes, images, seconds, images / Math.max(seconds, 1e-9), skipped,
			partitions - kept, partitions, kept, output);
	}
}
