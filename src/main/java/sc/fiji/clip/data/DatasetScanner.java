package sc.fiji.clip.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sc.fiji.clip.imagej.ImageReader;

/**
 * Finds image/caption pairs in a folder, detecting which of three layouts it uses (see {@link DatasetLayout}):
 * <ol>
 * <li>a caption table, {@code captions.csv} or {@code captions.tsv}, with a header naming an image column and a
 * caption column ({@code image,caption}, or open_clip's {@code filepath,title}); paths are relative to the folder and
 * several rows for one image give it several captions;</li>
 * <li>sidecar text files, {@code cell_01.tif} + {@code cell_01.txt}, one caption per non-blank line;</li>
 * <li>class folders, {@code DIR/<class name>/...}, captioned from {@link CaptionTemplates} with underscores in folder
 * names read as spaces.</li>
 * </ol>
 * The first layout whose files are present wins, in that order. Rows and images that cannot be used (missing file,
 * outside the folder, not an image, empty caption...) are skipped and listed in the {@link SkipReport}; only a folder
 * with nothing usable is an error. Images are checked from their headers with {@link ImageReader#inspect} while
 * scanning (see {@link Builder#checkImages}), so corrupt files are reported before training starts.
 * <p>
 * A scanner is immutable and may scan several folders, also in parallel.
 */
public final class DatasetScanner {

	/** Captions longer than this many characters are kept (the tokenizer truncates them) but counted. */
	public static final int LONG_CAPTION_CHARS = 1000;

	/** Names of the caption table, in order of preference (matched ignoring case). */
	public static final List<String> TABLE_NAMES = List.of("captions.csv", "captions.tsv");

	/** Image column names recognised when none is set: ours and open_clip's. */
	public static final List<String> DEFAULT_IMAGE_COLUMNS = List.of("image", "filepath");

	/** Caption column names recognised when none is set: ours and open_clip's. */
	public static final List<String> DEFAULT_CAPTION_COLUMNS = List.of("caption", "title");

	private static final char[] SEPARATORS = {',', ';', '\t'};

	private final String imageColumn;
	private final String captionColumn;
	private final Character separator;
	private final CaptionTemplates templates;
	private final DatasetLayout layout;
	private final boolean checkImages;
	private final long maxPixels;
	private final int maxReportLines;

	private DatasetScanner(Builder b) {
		this.imageColumn = b.imageColumn;
		this.captionColumn = b.captionColumn;
		this.separator = b.separator;
		this.templates = b.templates;
		this.layout = b.layout;
		this.checkImages = b.checkImages;
		this.maxPixels = b.maxPixels;
		this.maxReportLines = b.maxReportLines;
	}

	/** A scanner with every option at its default. */
	public static DatasetScanner defaults() {
		return builder().build();
	}

	/** Options for a scanner. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Finds the image/caption pairs in {@code folder}.
	 *
	 * @throws DatasetException if the folder does not exist, no layout is found, the caption table cannot be read
	 *             (not UTF-8, unclosed quote, missing columns) or nothing usable is left; the message names the folder
	 *             or file and says what to do
	 */
	public CaptionDataset scan(Path folder) {
		Objects.requireNonNull(folder, "folder");
		Path root = folder.toAbsolutePath().normalize();
		if (!Files.exists(root)) {
			throw new DatasetException("The dataset folder " + root + " does not exist. Choose the folder that holds "
					+ "your images.");
		}
		if (!Files.isDirectory(root)) {
			throw new DatasetException(root + " is a file, not a folder. Choose the folder that holds your images "
					+ "(and captions.csv, if you have one).");
		}
		Path rootReal;
		try {
			rootReal = root.toRealPath();
		} catch (IOException e) {
			throw new DatasetException("Cannot read the dataset folder " + root + " (" + e.getMessage() + ").", e);
		}
		return new Scan(root, rootReal).run();
	}

	/** The state of one scan. */
	private final class Scan {

		final Path root;
		final Path rootReal;
		final SkipReport.Builder report = new SkipReport.Builder(maxReportLines);
		final Map<String, Set<String>> captions = new TreeMap<>();
		final Map<String, String> classes = new HashMap<>();
		final Map<String, Path> relativePaths = new HashMap<>();

		Scan(Path root, Path rootReal) {
			this.root = root;
			this.rootReal = rootReal;
		}

		CaptionDataset run() {
			Path table = findTable();
			DatasetLayout found = layout;
			FolderWalk walk = null;
			if (found == null) {
				if (table != null) {
					found = DatasetLayout.CAPTION_TABLE;
				} else {
					walk = FolderWalk.walk(root, report);
					found = detect(walk);
				}
			} else if (found == DatasetLayout.CAPTION_TABLE && table == null) {
				throw new DatasetException("No " + String.join(" or ", TABLE_NAMES) + " in " + root + ". Add a caption "
						+ "table with a header line such as \"image,caption\", or let the layout be detected.");
			}
			String source = found.shortName();
			switch (found) {
				case CAPTION_TABLE:
					source = table.getFileName().toString();
					readTable(table);
					break;
				case SIDECAR_TEXT:
					if (walk == null) walk = FolderWalk.walk(root, report);
					readSidecars(walk);
					break;
				case CLASS_FOLDERS:
					if (walk == null) walk = FolderWalk.walk(root, report);
					readClassFolders(walk);
					break;
				default:
					throw new AssertionError(found);
			}
			List<ImageCaptions> entries = new ArrayList<>();
			Set<String> classNames = new TreeSet<>();
			for (Map.Entry<String, Set<String>> e : captions.entrySet()) {
				if (e.getValue().isEmpty()) continue;
				Path rel = relativePaths.get(e.getKey());
				String className = classes.get(e.getKey());
				if (className != null) classNames.add(className);
				entries.add(new ImageCaptions(rel, rootReal.resolve(rel), new ArrayList<>(e.getValue()), className));
			}
			if (entries.isEmpty()) throw nothingUsable(source, found);
			return new CaptionDataset(rootReal, found, source, entries, new ArrayList<>(classNames), templates,
					report.build());
		}

		// ---------------------------------------------------------------- detection

		private Path findTable() {
			Path[] found = new Path[TABLE_NAMES.size()];
			try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
				for (Path p : stream) {
					String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
					int i = TABLE_NAMES.indexOf(name);
					if (i < 0 || !Files.isRegularFile(p)) continue;
					if (found[i] == null || p.getFileName().toString().compareTo(found[i].getFileName().toString()) < 0) {
						found[i] = p;
					}
				}
			} catch (IOException e) {
				throw new DatasetException("Cannot list the dataset folder " + root + " (" + e.getMessage() + ").", e);
			}
			Path table = null;
			for (Path p : found) {
				if (p == null) continue;
				if (table == null) table = p;
				else report.skip(p.getFileName().toString(), "ignored, " + table.getFileName() + " is used instead");
			}
			return table;
		}

		private DatasetLayout detect(FolderWalk walk) {
			int nested = 0;
			for (Path image : walk.images) {
				if (sidecarOf(image) != null) return DatasetLayout.SIDECAR_TEXT;
				if (image.getNameCount() > 1) nested++;
			}
			if (nested > 0) return DatasetLayout.CLASS_FOLDERS;
			StringBuilder msg = new StringBuilder("No captions.csv, no sidecar .txt files and no class subfolders found in ")
					.append(root).append("; see README for the three layouts.");
			if (!walk.images.isEmpty()) {
				msg.append(" The folder holds ").append(walk.images.size()).append(walk.images.size() == 1 ? " image" : " images")
						.append(" but nothing gives their captions: add a captions.csv with the columns image,caption; or ")
						.append("a .txt file with the captions next to each image (cell_01.tif + cell_01.txt); or sort the ")
						.append("images into one subfolder per class.");
			} else if (walk.otherFiles > 0) {
				msg.append(" It holds ").append(walk.otherFiles).append(walk.otherFiles == 1 ? " file" : " files")
						.append(" but no image of a supported type (").append(String.join(", ", ImageReader.EXTENSIONS))
						.append("); convert your images to TIFF or PNG.");
			} else {
				msg.append(" The folder is empty.");
			}
			throw new DatasetException(msg.toString());
		}

		// ---------------------------------------------------------------- caption table

		private void readTable(Path table) {
			String fileName = table.getFileName().toString();
			String text = TextFiles.readUtf8(table);
			char sep = separator != null ? separator
					: fileName.toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
			List<CsvReader.Record> records = CsvReader.parse(text, sep, table.toString());
			CsvReader.Record header = firstNonBlank(records);
			if (header == null) {
				throw new DatasetException(table + " is empty. It needs a header line such as \"image,caption\" and then "
						+ "one line per image and caption, e.g. \"cells/cell_01.tif,a mitotic cell\".");
			}
			int[] columns = findColumns(header);
			if (columns == null && separator == null) {
				for (char other : SEPARATORS) {
					if (other == sep) continue;
					List<CsvReader.Record> retry = CsvReader.parse(text, other, table.toString());
					int[] found = findColumns(firstNonBlank(retry));
					if (found != null) {
						records = retry;
						header = firstNonBlank(retry);
						columns = found;
						break;
					}
				}
			}
			if (columns == null) throw missingColumns(table, header);
			int imageIndex = columns[0];
			int captionIndex = columns[1];
			String imageName = header.fields.get(imageIndex).strip();
			String captionName = header.fields.get(captionIndex).strip();
			Map<String, Object> resolved = new HashMap<>();
			boolean body = false;
			for (CsvReader.Record r : records) {
				if (r == header) {
					body = true;
					continue;
				}
				if (!body || r.isBlank()) continue;
				String where = fileName + " line " + r.line;
				if (r.fields.size() <= Math.max(imageIndex, captionIndex)) {
					int missing = r.fields.size() <= imageIndex ? imageIndex : captionIndex;
					report.skip(where, "the row has " + r.fields.size() + (r.fields.size() == 1 ? " field" : " fields")
							+ " but column \"" + (missing == imageIndex ? imageName : captionName) + "\" is number "
							+ (missing + 1));
					continue;
				}
				String raw = r.fields.get(imageIndex).strip();
				if (raw.isEmpty()) {
					report.skip(where, "no image path in column \"" + imageName + "\"");
					continue;
				}
				String label = raw + " (" + where + ")";
				String caption = cleanCaption(r.fields.get(captionIndex));
				if (caption.isEmpty()) {
					report.skip(label, "empty caption");
					continue;
				}
				Object image = resolved.computeIfAbsent(raw, this::resolveTablePath);
				if (image instanceof String) {
					report.skip(label, (String) image);
					continue;
				}
				addCaption((Path) image, caption, null);
			}
		}

		private CsvReader.Record firstNonBlank(List<CsvReader.Record> records) {
			for (CsvReader.Record r : records) if (!r.isBlank()) return r;
			return null;
		}

		/** Indices of the image and caption columns in the header, or {@code null} if either is missing. */
		private int[] findColumns(CsvReader.Record header) {
			if (header == null) return null;
			int image = findColumn(header, imageColumn != null ? List.of(imageColumn) : DEFAULT_IMAGE_COLUMNS);
			int caption = findColumn(header, captionColumn != null ? List.of(captionColumn) : DEFAULT_CAPTION_COLUMNS);
			return image < 0 || caption < 0 || image == caption ? null : new int[] {image, caption};
		}

		private int findColumn(CsvReader.Record header, List<String> names) {
			for (String name : names) {
				for (int i = 0; i < header.fields.size(); i++) {
					if (header.fields.get(i).strip().equalsIgnoreCase(name)) return i;
				}
			}
			return -1;
		}

		private DatasetException missingColumns(Path table, CsvReader.Record header) {
			String wanted = imageColumn == null && captionColumn == null
					? "an image column and a caption column (image,caption, or open_clip's filepath,title)"
					: "the columns \"" + (imageColumn != null ? imageColumn : String.join("\" or \"", DEFAULT_IMAGE_COLUMNS))
							+ "\" and \"" + (captionColumn != null ? captionColumn
									: String.join("\" or \"", DEFAULT_CAPTION_COLUMNS)) + "\"";
			List<String> columns = new ArrayList<>();
			for (String f : header.fields) columns.add("\"" + f.strip() + "\"");
			return new DatasetException(table + ", line " + header.line + ": the header has the column"
					+ (columns.size() == 1 ? " " : "s ") + String.join(", ", columns) + " but not " + wanted + ". "
					+ "Rename the columns in the first line, or set the image column and caption column names"
					+ (separator == null ? " (and the separator, if it is not a comma, semicolon or tab)" : "")
					+ " to match your table.");
		}

		/** The image a table row names, as a relative path, or the reason it cannot be used. */
		private Object resolveTablePath(String raw) {
			Path given;
			try {
				given = root.getFileSystem().getPath(raw);
			} catch (InvalidPathException e) {
				return "not a valid file path (" + e.getReason() + ")";
			}
			Path path = (given.isAbsolute() ? given : root.resolve(given)).normalize();
			if (!Files.exists(path) && raw.indexOf('\\') >= 0) { // written on Windows
				try {
					Path alt = root.getFileSystem().getPath(raw.replace('\\', '/'));
					Path altPath = (alt.isAbsolute() ? alt : root.resolve(alt)).normalize();
					if (Files.exists(altPath)) path = altPath;
				} catch (InvalidPathException e) {
					// keep the original spelling for the message
				}
			}
			Path rel;
			if (path.startsWith(root)) rel = root.relativize(path);
			else if (path.startsWith(rootReal)) rel = rootReal.relativize(path);
			else return "outside the dataset folder " + root + "; images must be inside it";
			if (rel.toString().isEmpty()) return "it is the dataset folder itself, not an image";
			if (!Files.exists(path)) return Files.isSymbolicLink(path) ? "broken symbolic link" : "file not found";
			Path real;
			try {
				real = path.toRealPath();
			} catch (IOException e) {
				return "the file cannot be read (" + e.getMessage() + ")";
			}
			if (!real.startsWith(rootReal)) {
				return "outside the dataset folder " + root + " (a symbolic link to " + real + "); images must be inside it";
			}
			if (Files.isDirectory(real)) return "it is a folder, not an image file";
			if (!Files.isReadable(real)) return "permission denied (the file cannot be read)";
			String fileName = path.getFileName().toString();
			if (!ImageReader.isImageName(fileName)) {
				return "not an image file (supported: " + String.join(", ", ImageReader.EXTENSIONS) + ")";
			}
			String problem = checkImage(path);
			return problem != null ? problem : rel;
		}

		// ---------------------------------------------------------------- sidecars and class folders

		private void readSidecars(FolderWalk walk) {
			for (Path image : walk.images) {
				String name = FolderWalk.name(image);
				Path sidecar = sidecarOf(image);
				if (sidecar == null) {
					report.skip(name, "no caption file " + stem(image.getFileName().toString()) + ".txt next to it");
					continue;
				}
				String text;
				try {
					text = TextFiles.readUtf8(sidecar);
				} catch (TextFiles.NotUtf8 e) {
					report.skip(name, "its caption file " + sidecar.getFileName() + " is not UTF-8 (line " + e.line
							+ ", " + e.bytes + "); save it as UTF-8");
					continue;
				} catch (DatasetException e) {
					report.skip(name, "its caption file " + sidecar.getFileName() + " cannot be read");
					continue;
				}
				List<String> lines = new ArrayList<>();
				for (String line : TextFiles.lines(text)) {
					String caption = cleanCaption(line);
					if (!caption.isEmpty()) lines.add(caption);
				}
				if (lines.isEmpty()) {
					report.skip(name, "its caption file " + sidecar.getFileName() + " is empty");
					continue;
				}
				String problem = checkImage(root.resolve(image));
				if (problem != null) {
					report.skip(name, problem);
					continue;
				}
				for (String caption : lines) addCaption(image, caption, null);
			}
		}

		private void readClassFolders(FolderWalk walk) {
			for (Path image : walk.images) {
				String name = FolderWalk.name(image);
				if (image.getNameCount() < 2) {
					report.skip(name, "not in a class subfolder; move it into " + root.getFileName()
							+ "/<class name>/ or remove it");
					continue;
				}
				String className = className(image.getName(0).toString());
				if (className.isEmpty()) {
					report.skip(name, "its folder name \"" + image.getName(0) + "\" gives an empty class name");
					continue;
				}
				String problem = checkImage(root.resolve(image));
				if (problem != null) {
					report.skip(name, problem);
					continue;
				}
				for (String caption : templates.apply(className)) addCaption(image, caption, className);
			}
		}

		/** The sidecar caption file of an image (relative path), or {@code null}. */
		private Path sidecarOf(Path image) {
			Path abs = root.resolve(image);
			String stem = stem(image.getFileName().toString());
			for (String ext : new String[] {".txt", ".TXT", ".Txt"}) {
				Path sidecar = abs.resolveSibling(stem + ext);
				if (Files.isRegularFile(sidecar)) return sidecar;
			}
			return null;
		}

		// ---------------------------------------------------------------- shared

		/** {@code null} if the image passes {@link ImageReader#inspect}, else the reason it does not. */
		private String checkImage(Path path) {
			if (!checkImages) return null;
			try {
				ImageReader.inspect(path, maxPixels);
				return null;
			} catch (ImageReadException e) {
				return e.reason();
			}
		}

		private void addCaption(Path rel, String caption, String className) {
			String key = FolderWalk.name(rel);
			relativePaths.putIfAbsent(key, rel);
			if (className != null) classes.putIfAbsent(key, className);
			Set<String> set = captions.computeIfAbsent(key, k -> new LinkedHashSet<>());
			if (!set.add(caption)) {
				report.duplicate();
			} else if (caption.length() > LONG_CAPTION_CHARS) {
				report.longCaption();
			}
		}

		private DatasetException nothingUsable(String source, DatasetLayout found) {
			StringBuilder msg = new StringBuilder("No usable image and caption pairs in ").append(root).append(" (")
					.append(source).append(")");
			int skipped = report.count();
			if (skipped == 0) {
				msg.append(found == DatasetLayout.CAPTION_TABLE ? ": the table has a header but no rows."
						: ": no images found.");
			} else {
				String what = found == DatasetLayout.CAPTION_TABLE ? " row" : " image";
				msg.append(": ").append(skipped).append(what).append(skipped == 1 ? " was" : "s were")
						.append(" skipped. First reasons:");
				for (String line : report.lines()) msg.append("\n  ").append(line);
				msg.append("\nFix these and scan again.");
			}
			return new DatasetException(msg.toString());
		}
	}

	/** Caption text as used: line breaks normalised to {@code \n}, surrounding white space removed. */
	static String cleanCaption(String caption) {
		return caption.replace("\r\n", "\n").replace('\r', '\n').strip();
	}

	/** The class name of a folder: underscores read as spaces, runs of white space collapsed. */
	public static String className(String folderName) {
		return folderName.replace('_', ' ').strip().replaceAll("\\s+", " ");
	}

	private static String stem(String fileName) {
		int dot = fileName.lastIndexOf('.');
		return dot > 0 ? fileName.substring(0, dot) : fileName;
	}

	/** Options of a {@link DatasetScanner}. */
	public static final class Builder {

		private String imageColumn;
		private String captionColumn;
		private Character separator;
		private CaptionTemplates templates = CaptionTemplates.defaults();
		private DatasetLayout layout;
		private boolean checkImages = true;
		private long maxPixels = ImageReader.DEFAULT_MAX_PIXELS;
		private int maxReportLines = SkipReport.DEFAULT_MAX_LINES;

		private Builder() {}

		/**
		 * The caption table's image column (header name, case-insensitive). Default: {@code image}, else
		 * {@code filepath}.
		 */
		public Builder imageColumn(String name) {
			this.imageColumn = columnName(name, "image column");
			return this;
		}

		/**
		 * The caption table's caption column (header name, case-insensitive). Default: {@code caption}, else
		 * {@code title}.
		 */
		public Builder captionColumn(String name) {
			this.captionColumn = columnName(name, "caption column");
			return this;
		}

		/**
		 * The caption table's field separator. Default: tab for {@code .tsv}, comma for {@code .csv}, and if the
		 * header's columns are not found that way, the first of comma, semicolon and tab that finds them.
		 */
		public Builder separator(char separator) {
			if (separator == '"' || separator == '\n' || separator == '\r') {
				throw new DatasetException("The separator cannot be a quote or a line break; use a comma, a semicolon "
						+ "or a tab.");
			}
			this.separator = separator;
			return this;
		}

		/** Templates for class folders (and zero-shot prompts). Default: {@link CaptionTemplates#defaults()}. */
		public Builder templates(CaptionTemplates templates) {
			this.templates = Objects.requireNonNull(templates, "templates");
			return this;
		}

		/** Uses this layout instead of detecting one; {@code null} detects (the default). */
		public Builder layout(DatasetLayout layout) {
			this.layout = layout;
			return this;
		}

		/**
		 * Whether to check every image's header while scanning (the default), so missing, empty, corrupt, truncated
		 * and oversized files are skipped and reported up front. Without it, only names and existence are checked and
		 * {@link ImageReader#open} reports bad files later.
		 */
		public Builder checkImages(boolean checkImages) {
			this.checkImages = checkImages;
			return this;
		}

		/** Images with more pixels (width x height x planes) are skipped. Default {@link ImageReader#DEFAULT_MAX_PIXELS}. */
		public Builder maxPixels(long maxPixels) {
			if (maxPixels <= 0) throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
			this.maxPixels = maxPixels;
			return this;
		}

		/** How many skip reasons the report keeps (it counts all). Default {@value SkipReport#DEFAULT_MAX_LINES}. */
		public Builder maxReportLines(int lines) {
			if (lines < 0) throw new IllegalArgumentException("lines must be >= 0, got " + lines);
			this.maxReportLines = lines;
			return this;
		}

		public DatasetScanner build() {
			return new DatasetScanner(this);
		}

		private static String columnName(String name, String what) {
			if (name == null || name.isBlank()) {
				throw new DatasetException("The " + what + " name is empty. Give the name written in the first line of "
						+ "the caption table, or leave the default.");
			}
			return name.strip();
		}
	}
}
