package sc.fiji.clip.label;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageReader;

/**
 * The image files under a folder, recursively, sorted by relative path: hidden files and folders (dot names) are
 * ignored, symbolic links followed, and folders that cannot be read or loop back are reported, not fatal.
 */
public final class FolderImages {

	private FolderImages() {}

	/** Relative paths of the image files under {@code root}; problems go to {@code skips}. */
	public static List<Path> list(Path root, Skips skips) {
		List<Path> found = new ArrayList<>();
		try {
			Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
				new SimpleFileVisitor<Path>() {

					@Override
					public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
						return !dir.equals(root) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
						if (hidden(file) || !ImageReader.isImageName(file.getFileName().toString())) {
							return FileVisitResult.CONTINUE;
						}
						if (attrs.isRegularFile()) found.add(root.relativize(file));
						else if (attrs.isSymbolicLink()) skips.add(name(root.relativize(file)), "broken symbolic link");
						return FileVisitResult.CONTINUE;
					}

					@Override
					public FileVisitResult visitFileFailed(Path file, IOException e) {
						if (hidden(file)) return FileVisitResult.CONTINUE;
						String name = name(root.relativize(file));
						if (e instanceof FileSystemLoopException) {
							skips.add(name + "/", "not followed: it links back to a folder above it");
						} else if (Files.isDirectory(file)) {
							skips.add(name + "/", "folder cannot be read (" + e.getMessage() + ")");
						} else if (ImageReader.isImageName(file.getFileName().toString())) {
							skips.add(name, Files.isSymbolicLink(file) ? "broken symbolic link"
								: "cannot be read (" + e.getMessage() + ")");
						}
						return FileVisitResult.CONTINUE;
					}
				});
		} catch (IOException e) {
			throw new ClipException("Cannot read the folder " + root + " (" + e.getMessage() + ").", e);
		}
		found.sort(Comparator.comparing(FolderImages::name));
		return found;
	}

	/** A relative path with {@code /} separators. */
	public static String name(Path relative) {
		return relative.toString().replace(File.separatorChar, '/');
	}

	private static boolean hidden(Path path) {
		Path fileName = path.getFileName();
		return fileName != null && fileName.toString().startsWith(".");
	}
}
