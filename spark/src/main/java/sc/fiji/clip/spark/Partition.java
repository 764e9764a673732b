package sc.fiji.clip.spark;

import java.io.Serializable;
import java.util.List;

/** One partition of a job: its number (which names its output files) and its image files' URIs. */
final class Partition implements Serializable {

	private static final long serialVersionUID = 1L;

	final int index;
	final List<String> files;

	Partition(int index, List<String> files) {
		this.index = index;
		this.files = List.copyOf(files);
	}
}
