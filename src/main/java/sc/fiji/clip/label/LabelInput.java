package sc.fiji.clip.label;

import ij.ImagePlus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import sc.fiji.clip.ClipException;

/**
 * Something to label: an open image (every plane of its stack), an image file, or a folder searched recursively
 * for image files ({@link sc.fiji.clip.data.ImageReader#EXTENSIONS}; hidden files and folders are ignored).
 * <p>
 * Rows name an open image by its title, a file given directly by its file name, and a file found in a folder by its
 * path relative to that folder, with {@code /} separators.
 */
public final class LabelInput {

	private final ImagePlus image;
	private final Path path;
	private final String name;

	private LabelInput(ImagePlus image, Path path, String name) {
		this.image = image;
		this.path = path;
		this.name = name;
	}

	/** An open image, named by its title. Its planes are read one at a time (virtual stacks stay virtual). */
	public static LabelInput of(ImagePlus image) {
		Objects.requireNonNull(image, "image");
		return of(image, image.getTitle());
	}

	/** An open image with the name its rows get. */
	public static LabelInput of(ImagePlus image, String name) {
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

	/** The open image, or null for a file or folder. */
	public ImagePlus image() {
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
