package sc.fiji.clip.label;

import java.nio.file.Path;

/** Where an encoded plane came from: its group in the run, its index in the group, its name, file and position. */
public final class Plane {

	private final int group, index, c, z, t;
	private final String name;
	private final Path file;

	Plane(int group, int index, String name, Path file, int[] czt) {
		this.group = group;
		this.index = index;
		this.name = name;
		this.file = file;
		this.c = czt[0];
		this.z = czt[1];
		this.t = czt[2];
	}

	/** Index of the plane's group (file, open image, tiled image) among the run's groups. */
	public int group() {
		return group;
	}

	/** Index of the plane in its group (0-based): the plane of a stack, the tile or the region. */
	public int index() {
		return index;
	}

	/** The group's name: an image's title or a file's (relative) path. */
	public String name() {
		return name;
	}

	/** The file read, or null for an open image. */
	public Path file() {
		return file;
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

	@Override
	public String toString() {
		return name + " (c" + c + " z" + z + " t" + t + ")";
	}
}
