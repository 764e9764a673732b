package sc.fiji.clip.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.AtomicFiles;
import sc.fiji.clip.io.SafetensorsWriter;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.label.Plane;

/**
 * Per-plane image embeddings for analysis elsewhere (UMAP, clustering), in the format the file name says:
 * <ul>
 * <li>{@code .csv}: {@code image,c,z,t,e0,...,e(d-1)};</li>
 * <li>{@code .npz} (numpy's {@code np.load}) and {@code .safetensors} ({@code safetensors.numpy.load_file}): arrays
 * {@code embeddings} float32 [planes, d] and {@code c}, {@code z}, {@code t} int32 [planes], with the image names
 * beside them in {@code NAME.planes.csv} ({@code row,image,c,z,t}), since neither format holds strings that numpy
 * reads without pickles.</li>
 * </ul>
 * Embeddings are L2-normalised, so a dot product is a cosine. They are spooled to a file beside the output as they
 * come, so CSV and safetensors are written with bounded memory; npz goes through DJL's encoder, which needs the
 * matrix in memory once. Files are replaced only when complete.
 */
public final class EmbeddingExport implements AutoCloseable {

	/** The formats, by file extension. */
	public static final List<String> EXTENSIONS = List.of("csv", "npz", "safetensors");

	private final Path file;
	private final String format;
	private final RowSpool spool;
	private final List<String> names = new ArrayList<>();
	private final List<int[]> positions = new ArrayList<>();

	private EmbeddingExport(Path file) {
		this.file = file;
		this.format = format(file);
		this.spool = new RowSpool(file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".spool"));
	}

	/**
	 * An export to {@code file}, spooling beside it until {@link #write}.
	 *
	 * @throws ClipException if the extension is not one of {@link #EXTENSIONS}
	 */
	public static EmbeddingExport to(Path file) {
		return new EmbeddingExport(file);
	}

	/** Adds a plane's embedding. */
	public void add(Plane plane, float[] embedding, int offset, int length) {
		add(plane.name(), plane.channel(), plane.slice(), plane.frame(), embedding, offset, length);
	}

	/** Adds the embedding {@code values[offset .. offset + length)} of plane (c, z, t) of the image {@code name}. */
	public void add(String name, int c, int z, int t, float[] values, int offset, int length) {
		spool.add(values, offset, length);
		names.add(name);
		positions.add(new int[] { c, z, t });
	}

	/** Number of embeddings added. */
	public int size() {
		return names.size();
	}

	/** The format of {@code file}: its extension, checked. */
	public static String format(Path file) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		for (String ext : EXTENSIONS) if (name.endsWith("." + ext)) return ext;
		throw new ClipException("Cannot write embeddings to " + file + ": name it .csv, .npz or .safetensors.");
	}

	/** The file the image names of a .npz or .safetensors file go to. */
	public static Path planesFile(Path file) {
		String name = file.getFileName().toString();
		return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".planes.csv");
	}

	/** Writes the embeddings (and the planes file of the binary formats); {@code manager} serves npz. */
	public void write(NDManager manager) {
		int d = spool.columns();
		try (EmbeddingMatrix rows = spool.read()) {
			if (format.equals("csv")) writeCsv(rows, d);
			else if (format.equals("safetensors")) writeSafetensors(rows, d);
			else writeNpz(rows, d, manager);
		} catch (IOException e) {
			throw new ClipException("Cannot read back the embeddings spooled beside " + file + ": " + e.getMessage(), e);
		}
		if (!format.equals("csv")) writePlanes();
	}

	private void writeCsv(EmbeddingMatrix rows, int d) {
		AtomicFiles.write(file, out -> {
			Writer w = new OutputStreamWriter(new BufferedOutputStream(out, 1 << 16), StandardCharsets.UTF_8);
			StringBuilder sb = new StringBuilder("image,c,z,t");
			for (int i = 0; i < d; i++) sb.append(",e").append(i);
			w.write(sb.append('\n').toString());
			float[] v = new float[d];
			for (int r = 0; r < names.size(); r++) {
				sb.setLength(0);
				planeFields(sb, r);
				rows.row(r, v);
				for (float x : v) sb.append(',').append(x);
				w.write(sb.append('\n').toString());
			}
			w.flush();
		});
	}

	private void writeSafetensors(EmbeddingMatrix rows, int d) {
		int n = names.size();
		List<String> tensors = List.of("c", "embeddings", "t", "z");
		List<DataType> types = List.of(DataType.INT32, DataType.FLOAT32, DataType.INT32, DataType.INT32);
		List<long[]> shapes = List.of(new long[] { n }, new long[] { n, d }, new long[] { n }, new long[] { n });
		AtomicFiles.write(file, raw -> {
			OutputStream out = new BufferedOutputStream(raw, 1 << 16);
			out.write(SafetensorsWriter.header(tensors, types, shapes, Map.of("format", "np")));
			writeInts(out, 0);
			ByteBuffer bytes = ByteBuffer.allocate(d * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
			float[] v = new float[d];
			for (int r = 0; r < n; r++) {
				rows.row(r, v);
				bytes.clear();
				bytes.asFloatBuffer().put(v);
				out.write(bytes.array());
			}
			writeInts(out, 2);
			writeInts(out, 1);
			out.flush();
		});
	}

	private void writeInts(OutputStream out, int which) throws IOException {
		ByteBuffer b = ByteBuffer.allocate(positions.size() * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (int[] p : positions) b.putInt(p[which]);
		out.write(b.array());
	}

	private void writeNpz(EmbeddingMatrix rows, int d, NDManager manager) {
		int n = names.size();
		float[] flat = new float[n * d], v = new float[d];
		for (int r = 0; r < n; r++) {
			rows.row(r, v);
			System.arraycopy(v, 0, flat, r * d, d);
		}
		try (NDManager scope = manager.newSubManager()) {
			NDArray embeddings = scope.create(flat, new Shape(n, d));
			embeddings.setName("embeddings");
			NDList list = new NDList(embeddings);
			String[] keys = { "c", "z", "t" };
			for (int k = 0; k < 3; k++) {
				int[] column = new int[n];
				for (int r = 0; r < n; r++) column[r] = positions.get(r)[k];
				NDArray a = scope.create(column);
				a.setName(keys[k]);
				list.add(a);
			}
			AtomicFiles.write(file, out -> list.encode(out, NDList.Encoding.NPZ));
		}
	}

	private void writePlanes() {
		AtomicFiles.write(planesFile(file), out -> {
			Writer w = new OutputStreamWriter(new BufferedOutputStream(out, 1 << 16), StandardCharsets.UTF_8);
			w.write("row,image,c,z,t\n");
			StringBuilder sb = new StringBuilder();
			for (int r = 0; r < names.size(); r++) {
				sb.setLength(0);
				sb.append(r).append(',');
				planeFields(sb, r);
				w.write(sb.append('\n').toString());
			}
			w.flush();
		});
	}

	private void planeFields(StringBuilder sb, int r) {
		int[] p = positions.get(r);
		sb.append(LabelCsvWriter.quote(names.get(r))).append(',').append(p[0]).append(',').append(p[1]).append(',').append(p[2]);
	}

	/** Removes the spool. */
	@Override
	public void close() {
		spool.close();
	}
}
