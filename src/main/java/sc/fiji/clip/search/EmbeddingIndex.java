package sc.fiji.clip.search;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import sc.fiji.clip.ClipException;

/**
 * An embedding index on disk, opened for search: a folder holding
 * <ul>
 * <li>{@code embeddings.safetensors}: the L2-normalised image embeddings, one row per plane, float32 (or float16),
 * tensor {@code embeddings} [rows, dimension], memory-mapped;</li>
 * <li>{@code planes.csv}: {@code path,c,z,t,size,modified}, one line per row;</li>
 * <li>{@code index.json}: the model's {@link sc.fiji.clip.model.WeightsFingerprint fingerprint} and path, the
 * dimension, row count, storage type, channel rule and the files and folders indexed.</li>
 * </ul>
 * Python reads it with {@code safetensors.numpy.load_file} and {@code csv} alone. {@link Indexer} writes it.
 */
public final class EmbeddingIndex implements AutoCloseable {

	static final String EMBEDDINGS = "embeddings.safetensors", PLANES = "planes.csv", INFO = "index.json";
	static final String TENSOR = "embeddings";
	static final String PLANES_HEADER = "path,c,z,t,size,modified";

	private final Path folder;
	private final IndexInfo info;
	private final List<IndexedPlane> planes;
	private final EmbeddingMatrix matrix;

	private EmbeddingIndex(Path folder, IndexInfo info, List<IndexedPlane> planes, EmbeddingMatrix matrix) {
		this.folder = folder;
		this.info = info;
		this.planes = planes;
		this.matrix = matrix;
	}

	/** Whether {@code folder} holds an index (its {@code index.json}). */
	public static boolean isIndex(Path folder) {
		return Files.isRegularFile(folder.resolve(INFO));
	}

	/**
	 * Opens the index in {@code folder}.
	 *
	 * @throws ClipException if it is missing, not an index, or its files disagree
	 */
	public static EmbeddingIndex open(Path folder) {
		if (!Files.isDirectory(folder)) {
			throw new ClipException("Index " + folder + " does not exist. Make it with fiji-clip index --model M --out "
				+ folder + " FOLDER.");
		}
		IndexInfo info = IndexInfo.parse(read(folder.resolve(INFO), folder), "Index " + folder);
		List<IndexedPlane> planes = readPlanes(folder.resolve(PLANES), folder);
		if (planes.size() != info.rows) {
			throw new ClipException("Index " + folder + " is inconsistent: " + PLANES + " has " + planes.size()
				+ " rows, index.json says " + info.rows + ". Index the images again into a new folder.");
		}
		EmbeddingMatrix matrix = EmbeddingMatrix.open(folder.resolve(EMBEDDINGS), TENSOR);
		if (matrix.rows() != info.rows || matrix.columns() != info.dimension || matrix.half() != info.half()) {
			matrix.close();
			throw new ClipException("Index " + folder + " is inconsistent: " + EMBEDDINGS + " holds " + matrix.rows() + " x "
				+ matrix.columns() + ", index.json says " + info.rows + " x " + info.dimension + ". Index the images again "
				+ "into a new folder.");
		}
		return new EmbeddingIndex(folder, info, planes, matrix);
	}

	private static String read(Path file, Path folder) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			throw new ClipException(folder + " is not a Fiji CLIP index: it has no " + file.getFileName() + ". Give a folder "
				+ "made by fiji-clip index.");
		} catch (IOException e) {
			throw new ClipException("Cannot read " + file + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Reads {@code planes.csv} line by line (a million rows would not fit twice in a small heap as one string): the
	 * last five fields are numbers, so the path is what comes before them, unquoted as RFC 4180 quotes it.
	 */
	private static List<IndexedPlane> readPlanes(Path file, Path folder) {
		List<IndexedPlane> planes = new ArrayList<>();
		try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			String header = in.readLine();
			if (header == null || !header.strip().equals(PLANES_HEADER)) {
				throw new ClipException(file + " does not start with " + PLANES_HEADER + ". Index the images again into a new folder.");
			}
			String previous = null;
			int lineNumber = 1;
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				lineNumber++;
				while (quotes(line) % 2 == 1) { // a quoted path with a line break in it
					String more = in.readLine();
					if (more == null) break;
					line += "\n" + more;
					lineNumber++;
				}
				if (line.isBlank()) continue;
				IndexedPlane p = plane(line, previous);
				if (p == null) {
					throw new ClipException(file + ", line " + lineNumber + ": expected " + PLANES_HEADER + ", found " + line
						+ ". Index the images again into a new folder.");
				}
				previous = p.path();
				planes.add(p);
			}
		} catch (NoSuchFileException e) {
			throw new ClipException(folder + " is not a Fiji CLIP index: it has no " + PLANES + ". Give a folder made by "
				+ "fiji-clip index.");
		} catch (IOException e) {
			throw new ClipException("Cannot read " + file + ": " + e.getMessage(), e);
		}
		return planes;
	}

	private static int quotes(String line) {
		int n = 0;
		for (int i = 0; i < line.length(); i++) if (line.charAt(i) == '"') n++;
		return n;
	}

	/** The plane of one line, or null if it is malformed; its path is {@code previous} when equal (shared string). */
	static IndexedPlane plane(String line, String previous) {
		long[] numbers = new long[5];
		int end = line.length();
		for (int k = 4; k >= 0; k--) {
			int comma = line.lastIndexOf(',', end - 1);
			if (comma < 0) return null;
			try {
				numbers[k] = Long.parseLong(line.substring(comma + 1, end).strip());
			} catch (NumberFormatException e) {
				return null;
			}
			end = comma;
		}
		String path = line.substring(0, end);
		if (path.length() >= 2 && path.startsWith("\"") && path.endsWith("\"")) {
			path = path.substring(1, path.length() - 1).replace("\"\"", "\"");
		}
		if (path.equals(previous)) path = previous;
		return new IndexedPlane(path, (int) numbers[0], (int) numbers[1], (int) numbers[2], numbers[3], numbers[4]);
	}

	/** The index folder. */
	public Path folder() {
		return folder;
	}

	/** Number of planes (rows). */
	public int size() {
		return planes.size();
	}

	/** The embedding dimension. */
	public int dimension() {
		return info.dimension;
	}

	/** The fingerprint of the model that made the embeddings. */
	public String modelFingerprint() {
		return info.model_fingerprint;
	}

	/** The model file or folder the index was made with. */
	public String modelPath() {
		return info.model;
	}

	/** Whether the embeddings are stored as float16. */
	public boolean half() {
		return info.half();
	}

	/** Whether multichannel images were embedded as composites. */
	public boolean mergeChannels() {
		return info.merge_channels;
	}

	/** The files and folders indexed. */
	public List<String> roots() {
		return Collections.unmodifiableList(info.roots);
	}

	/** Row {@code i}'s plane. */
	public IndexedPlane plane(int i) {
		return planes.get(i);
	}

	/** Every row's plane, in row order. */
	public List<IndexedPlane> planes() {
		return Collections.unmodifiableList(planes);
	}

	/** The embeddings. */
	public EmbeddingMatrix matrix() {
		return matrix;
	}

	IndexInfo info() {
		return info;
	}

	@Override
	public void close() {
		matrix.close();
	}
}
