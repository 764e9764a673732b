package sc.fiji.clip.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CsvReader;

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

	private static List<IndexedPlane> readPlanes(Path file, Path folder) {
		List<CsvReader.Record> records = CsvReader.parse(read(file, folder), ',', file.toString());
		List<IndexedPlane> planes = new ArrayList<>(Math.max(0, records.size() - 1));
		String previous = null;
		for (int i = 1; i < records.size(); i++) {
			CsvReader.Record r = records.get(i);
			if (r.isBlank()) continue;
			List<String> f = r.fields();
			try {
				String path = f.get(0).equals(previous) ? previous : f.get(0); // the planes of a file share one string
				previous = path;
				planes.add(new IndexedPlane(path, Integer.parseInt(f.get(1)), Integer.parseInt(f.get(2)),
					Integer.parseInt(f.get(3)), Long.parseLong(f.get(4)), Long.parseLong(f.get(5))));
			} catch (RuntimeException e) {
				throw new ClipException(file + ", line " + r.line() + ": expected " + PLANES_HEADER + ", found " + f
					+ ". Index the images again into a new folder.");
			}
		}
		return planes;
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
