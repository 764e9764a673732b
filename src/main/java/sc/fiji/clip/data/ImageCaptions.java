package sc.fiji.clip.data;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One image of a dataset with its captions and, for class-folder datasets, its class name. */
public final class ImageCaptions {

	private final Path relativePath;
	private final Path path;
	private final List<String> captions;
	private final String className;

	/**
	 * @param relativePath the image's path relative to the dataset folder
	 * @param path the image's absolute path
	 * @param captions at least one caption
	 * @param className the class name, or {@code null} when the layout has no classes
	 */
	public ImageCaptions(Path relativePath, Path path, List<String> captions, String className) {
		this.relativePath = Objects.requireNonNull(relativePath, "relativePath");
		this.path = Objects.requireNonNull(path, "path");
		if (relativePath.isAbsolute()) throw new IllegalArgumentException("relativePath is absolute: " + relativePath);
		if (!path.isAbsolute()) throw new IllegalArgumentException("path is not absolute: " + path);
		if (captions.isEmpty()) throw new IllegalArgumentException("no caption for " + relativePath);
		for (String c : captions) Objects.requireNonNull(c, "caption");
		this.captions = Collections.unmodifiableList(new ArrayList<>(captions));
		this.className = className;
	}

	/** The image's path relative to the dataset folder. */
	public Path relativePath() {
		return relativePath;
	}

	/** The relative path with {@code /} separators on every system, e.g. {@code "cells/cell_01.tif"}. */
	public String name() {
		return relativePath.toString().replace(File.separatorChar, '/');
	}

	/** The image's absolute path. */
	public Path path() {
		return path;
	}

	/** The image's captions, at least one, in the order found. */
	public List<String> captions() {
		return captions;
	}

	/** The class name (class-folder datasets), empty otherwise. */
	public Optional<String> className() {
		return Optional.ofNullable(className);
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof ImageCaptions)) return false;
		ImageCaptions other = (ImageCaptions) o;
		return relativePath.equals(other.relativePath) && path.equals(other.path) && captions.equals(other.captions)
				&& Objects.equals(className, other.className);
	}

	@Override
	public int hashCode() {
		return Objects.hash(relativePath, path, captions, className);
	}

	@Override
	public String toString() {
		return name() + (className != null ? " [" + className + "]" : "") + " " + captions;
	}
}
