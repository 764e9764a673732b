package sc.fiji.clip.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageReader;

/**
 * The image files a job covers, on any Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:}...): a folder
 * (searched recursively for the extensions the command line reads; names starting with '.' or '_' are left out, as
 * Spark does), a text file of paths ({@code .txt}/{@code .lst}, one per line, '#' comments; relative paths are
 * relative to the text file's folder), a glob, or an image file. Sorted and without duplicates, so the same inputs
 * always make the same partitions.
 */
final class ImageListing {

	private ImageListing() {}

	static List<String> list(List<String> inputs, Configuration conf) {
		TreeSet<String> files = new TreeSet<>();
		for (String input : inputs) {
			try {
				add(input, conf, files);
			} catch (IOException e) {
				throw new ClipException("Cannot list " + input + ": " + e.getMessage(), e);
			}
		}
		if (files.isEmpty()) {
			throw new ClipException("No image files in " + String.join(", ", inputs) + ". Give folders, text files of paths, "
				+ "globs or image files ending in ." + String.join(", .", ImageReader.EXTENSIONS) + ".");
		}
		return new ArrayList<>(files);
	}

	private static void add(String input, Configuration conf, TreeSet<String> files) throws IOException {
		Path path = new Path(input);
		FileSystem fs = path.getFileSystem(conf);
		if (isGlob(input)) {
			FileStatus[] matches = fs.globStatus(path);
			if (matches == null || matches.length == 0) throw new ClipException("Nothing matches " + input + ".");
			for (FileStatus s : matches) {
				if (s.isDirectory()) addFolder(fs, s.getPath(), files);
				else if (isImage(s.getPath())) files.add(s.getPath().toString());
			}
			return;
		}
		if (!fs.exists(path)) {
			throw new ClipException("Cannot label " + input + ": it does not exist. Give a folder, a text file of paths, a "
				+ "glob or an image file.");
		}
		Path qualified = fs.makeQualified(path);
		if (fs.getFileStatus(qualified).isDirectory()) {
			addFolder(fs, qualified, files);
		} else if (isPathList(qualified)) {
			addPathList(fs, qualified, conf, files);
		} else if (isImage(qualified)) {
			files.add(qualified.toString());
		} else {
			throw new ClipException(input + " is neither an image (." + String.join(", .", ImageReader.EXTENSIONS)
				+ "), a folder, nor a .txt or .lst file of paths.");
		}
	}

	/**
	 * Walks with {@code listStatus}, not {@code listFiles}: on the local file system without Hadoop's native library,
	 * {@code listFiles}' located statuses read each file's permissions by running a shell command, which took a
	 * minute for 2 000 files.
	 */
	private static void addFolder(FileSystem fs, Path folder, TreeSet<String> files) throws IOException {
		for (FileStatus s : fs.listStatus(folder)) {
			String name = s.getPath().getName();
			if (name.startsWith(".") || name.startsWith("_")) continue;
			if (s.isDirectory()) addFolder(fs, s.getPath(), files);
			else if (isImage(s.getPath())) files.add(s.getPath().toString());
		}
	}

	private static void addPathList(FileSystem fs, Path list, Configuration conf, TreeSet<String> files)
		throws IOException
	{
		try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(list), StandardCharsets.UTF_8))) {
			int n = 0;
			for (String line; (line = r.readLine()) != null;) {
				n++;
				String s = line.strip();
				if (s.isEmpty() || s.startsWith("#")) continue;
				Path p = new Path(s);
				if (!p.isAbsolute() && p.toUri().getScheme() == null) p = new Path(list.getParent(), s);
				FileSystem pfs = p.getFileSystem(conf);
				if (!pfs.exists(p)) throw new ClipException(list + " line " + n + ": " + s + " does not exist.");
				files.add(pfs.makeQualified(p).toString());
			}
		}
	}

	private static boolean isImage(Path p) {
		return ImageReader.isImageName(p.getName());
	}

	private static boolean isPathList(Path p) {
		String n = p.getName().toLowerCase(Locale.ROOT);
		return n.endsWith(".txt") || n.endsWith(".lst");
	}

	private static boolean isGlob(String s) {
		return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
	}
}
