package sc.fiji.clip.data;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sc.fiji.clip.imagej.ImageReader;

/**
 * The image files under a folder, found recursively in a deterministic order. Hidden files and folders (name starting
 * with a dot, or hidden on Windows) are ignored; symbolic links are followed, but a folder whose real path was seen
 * already is not entered again, so links that loop back do not hang the walk.
 */
final class FolderWalk {

	/** Image paths relative to the root, sorted by {@link #name(Path)}. */
	final List<Path> images = new ArrayList<>();

	/** Regular non-image, non-hidden files seen (for messages). */
	int otherFiles;

	private final SkipReport.Builder report;
	private final Set<Path> visited = new HashSet<>();

	private FolderWalk(SkipReport.Builder report) {
		this.report = report;
	}

	/** Walks {@code root} (absolute); folders that cannot be read or loop back are recorded in {@code report}. */
	static FolderWalk walk(Path root, SkipReport.Builder report) {
		FolderWalk walk = new FolderWalk(report);
		try {
			walk.visited.add(root.toRealPath());
		} catch (IOException e) {
			throw new DatasetException("Cannot read the folder " + root + " (" + e.getMessage() + ").", e);
		}
		walk.visit(root, null);
		walk.images.sort(Comparator.comparing(FolderWalk::name));
		return walk;
	}

	/** A relative path with {@code /} separators. */
	static String name(Path relative) {
		return relative.toString().replace(File.separatorChar, '/');
	}

	/** Whether a file is hidden: a dot name, or the system says so. */
	static boolean isHidden(Path path) {
		Path fileName = path.getFileName();
		if (fileName == null) return false;
		if (fileName.toString().startsWith(".")) return true;
		try {
			return Files.isHidden(path);
		} catch (IOException e) {
			return false;
		}
	}

	private void visit(Path dir, Path relDir) {
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
			for (Path child : stream) children.add(child);
		} catch (IOException e) {
			report.skip(relDir == null ? dir.toString() : name(relDir) + "/", "folder cannot be read (" + e + ")");
			return;
		}
		children.sort(Comparator.comparing(p -> p.getFileName().toString()));
		for (Path child : children) {
			if (isHidden(child)) continue;
			String fileName = child.getFileName().toString();
			Path rel = relDir == null ? child.getFileSystem().getPath(fileName) : relDir.resolve(fileName);
			if (Files.isDirectory(child)) {
				Path real;
				try {
					real = child.toRealPath();
				} catch (IOException e) {
					report.skip(name(rel) + "/", "folder cannot be read (" + e + ")");
					continue;
				}
				if (!visited.add(real)) {
					report.skip(name(rel) + "/", "not followed: it links to a folder scanned already (" + real + ")");
					continue;
				}
				visit(child, rel);
			} else if (Files.isRegularFile(child)) {
				if (ImageReader.isImageName(fileName)) images.add(rel);
				else otherFiles++;
			} else if (Files.isSymbolicLink(child) && ImageReader.isImageName(fileName)) {
				report.skip(name(rel), "broken symbolic link");
			}
		}
	}
}
