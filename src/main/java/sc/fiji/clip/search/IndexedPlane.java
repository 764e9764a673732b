package sc.fiji.clip.search;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One row of an embedding index: the plane (c, z, t; c = 0 for a composite of channels) of an image file, and the
 * file's size and modification time when it was embedded, by which a later run sees whether it changed.
 */
public final class IndexedPlane {

	private final String path;
	private final int c, z, t;
	private final long size, modified;

	IndexedPlane(String path, int c, int z, int t, long size, long modified) {
		this.path = path;
		this.c = c;
		this.z = z;
		this.t = t;
		this.size = size;
		this.modified = modified;
	}

	/** The image file's absolute path. */
	public String path() {
		return path;
	}

	/** The image file. */
	public Path file() {
		return Paths.get(path);
	}

	/** Channel (1-based; 0 for a composite of channels). */
	public int channel() {
		return c;
	}

	/** Slice (1-based). */
	public int slice() {
		return z;
	}

	/** Frame (1-based). */
	public int frame() {
		return t;
	}

	/** The file's size in bytes when embedded. */
	public long size() {
		return size;
	}

	/** The file's modification time (milliseconds since 1970) when embedded. */
	public long modified() {
		return modified;
	}

	@Override
	public String toString() {
		return path + " (c" + c + " z" + z + " t" + t + ")";
	}
}
