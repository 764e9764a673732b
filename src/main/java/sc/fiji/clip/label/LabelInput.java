package sc.fiji.clip.label;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import sc.fiji.clip.ClipException;

/**
 * Something to label: an image held in memory (an open ImageJ image, say; {@code sc.fiji.clip.imagej.ImagePlanes}
 * adapts one), an image file, or a folder searched recursively
 * for image files ({@link sc.fiji.clip.imagej.ImageReader#EXTENSIONS}; hidden files and folders are ignored).
 * <p>
 * Rows name an image in memory by the name it is given, a file given directly by its file name, and a file found in a folder by its
 * path relative to that folder, with {@code /} separators.
 */
public final class LabelInput {

	private final InMemory image;
	private final Path path;
	private final String name;

	private LabelInput(InMemory image, Path path, String name) {
		this.image = image;
		this.path = path;
		this.name = name;
	}

	/** An image in memory: given its rows' name and whether channels are merged, its planes. */
	@FunctionalInterface
	public interface InMemory {
		PlaneGroup planes(String name, boolean mergeChannels);
	}

	/** An image in memory whose rows are named {@code name}. */
	public static LabelInput of(InMemory image, String name) {
		Objects.requireNonNull(image, "image");
		return new LabelInput(image, null, name == null || name.isEmpty() ? "image" : name);
	}

	/**
	 * An image file or a folder of images.
	 *
	 * @throws ClipException if the path does not exist
	 */
	public static LabelInput of(Path path) {
		Objects.requireNonNull(path, "path");
		if (!Files.exists(path)) {
			throw new ClipException("Cannot label " + path + ": it does not exist. Give an image file or a folder of "
				+ "images.");
		}
		Path fileName = path.getFileName();
		return new LabelInput(null, path, fileName == null ? path.toString() : fileName.toString());
	}

	/**
	 * An image file whose rows carry {@code name} rather than its file name, e.g. its path relative to a data set's
	 * root so that rows of equally named files in different folders differ. (Rows of a folder's files are named by
	 * their paths relative to it.)
	 *
	 * @throws ClipException if the path does not exist
	 */
	public static LabelInput of(Path path, String name) {
		LabelInput input = of(path);
		return name == null || name.isEmpty() ? input : new LabelInput(null, path, name);
	}

	/** The image in memory, or null for a file or folder. */
	public InMemory image() {
		return image;
	}

	/** The file or folder, or null for an open image. */
	public Path path() {
		return path;
	}

	/** Whether this is a folder. */
	public boolean isFolder() {
		return path != null && Files.isDirectory(path);
	}

	/** The title, file name or folder name. */
	public String name() {
		return name;
	}

	@Override
	public String toString() {
		return path != null ? path.toString() : "image \"" + name + "\"";
	}
}
