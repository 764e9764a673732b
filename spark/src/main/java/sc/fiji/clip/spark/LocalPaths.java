package sc.fiji.clip.spark;

import java.nio.file.Path;

/** Whether a Hadoop path is on this machine's own file system, where the readers open it directly. */
final class LocalPaths {

	private LocalPaths() {}

	/** {@code path} as a local path, or null if it is on another file system (to be copied first). */
	static Path local(org.apache.hadoop.fs.Path path) {
		String scheme = path.toUri().getScheme();
		return scheme == null || scheme.equals("file") ? Path.of(path.toUri().getPath()) : null;
	}
}
