package sc.fiji.clip.spark;

import java.io.Serializable;

/** What one partition's task did: planes written, files read and skipped, seconds; or that it was already complete. */
final class PartitionReport implements Serializable {

	private static final long serialVersionUID = 1L;

	final int index;
	final boolean kept;
	final long planes;
	final int images, skipped;
	final double seconds;
	final String executor;

	PartitionReport(int index, boolean kept, long planes, int images, int skipped, double seconds, String executor) {
		this.index = index;
		this.kept = kept;
		this.planes = planes;
		this.images = images;
		this.skipped = skipped;
		this.seconds = seconds;
		this.executor = executor;
	}

	static PartitionReport kept(int index) {
		return new PartitionReport(index, true, 0, 0, 0, 0, null);
	}
}
