package sc.fiji.clip.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The layout of a job's output folder: {@code planes/part-NNNNN.parquet} (one row per plane) and
 * {@code skips/part-NNNNN.parquet} (one row per unreadable file) for each partition, {@value #MANIFEST} describing
 * the job, and {@code _SUCCESS} once every partition is written. A partition's files are written under
 * {@code _temporary/} and renamed into place, skips first; its planes file existing means the partition is complete,
 * which is what lets a rerun continue a killed job.
 */
final class JobOutput implements Serializable {

	private static final long serialVersionUID = 1L;

	static final String MANIFEST = "job.json";
	static final String PLANES = "planes", SKIPS = "skips", TEMPORARY = "_temporary", SUCCESS = "_SUCCESS";

	private final String root;
	private final HadoopConf conf;

	JobOutput(String root, HadoopConf conf) {
		this.root = root;
		this.conf = conf;
	}

	Path root() {
		return new Path(root);
	}

	Path planes(int partition) {
		return new Path(new Path(root, PLANES), name(partition));
	}

	Path skips(int partition) {
		return new Path(new Path(root, SKIPS), name(partition));
	}

	Path manifest() {
		return new Path(root, MANIFEST);
	}

	Path success() {
		return new Path(root, SUCCESS);
	}

	/** A fresh temporary file for one attempt at a partition's file. */
	Path temporary(int partition) {
		return new Path(new Path(root, TEMPORARY), name(partition) + "-" + UUID.randomUUID() + ".parquet");
	}

	boolean complete(int partition) {
		try {
			return fs().exists(planes(partition));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Moves a written temporary file into place; an attempt that lost the race to another leaves the winner's. */
	void commit(Path temporary, Path target) throws IOException {
		FileSystem fs = fs();
		fs.mkdirs(target.getParent());
		if (fs.exists(target) && target.getParent().getName().equals(SKIPS)) fs.delete(target, false);
		if (!fs.rename(temporary, target)) {
			boolean lost = fs.exists(target);
			fs.delete(temporary, false);
			if (!lost) throw new IOException("Cannot move " + temporary + " to " + target);
		}
	}

	FileSystem fs() throws IOException {
		return root().getFileSystem(conf.get());
	}

	private static String name(int partition) {
		return String.format("part-%05d.parquet", partition);
	}
}
