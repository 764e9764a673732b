package sc.fiji.clip.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code embeddings} float32 [planes, d] and {@code c}, {@code z}, {@code t} int32 [planes], written by DJL's
 * encoders, with the image names beside them in {@code NAME.planes.csv} ({@code row,image,c,z,t}), since neither
 * format holds strings that numpy reads without pickles.</li>
 * </ul>
 * Embeddings are L2-normalised, so a dot product is a cosine. Files are replaced only when complete.
 */
public final class EmbeddingExport {

	/** The formats, by file extension. */
	public static final List<String> EXTENSIONS = List.of("csv", "npz", "safetensors");

	private final List<String> names = new ArrayList<>();
	private final List<int[]> positions = new ArrayList<>();
	private final List<float[]> vectors = new ArrayList<>();

	/** Adds a plane's embedding. */
	public void add(Plane plane, float[] embedding) {
		add(plane.name(), plane.channel(), plane.slice(), plane.frame(), embedding);
	}

	/** Adds an embedding of plane (c, z, t) of the image {@code name}. */
	public void add(String name, int c, int z, int t, float[] embedding) {
		if (!vectors.isEmpty() && vectors.get(0).length != embedding.length) {
			throw new IllegalArgumentException("embeddings of " + embedding.length + " values after " + vectors.get(0).length);
		}
		names.add(name);
		positions.add(new int[] { c, z, t });
		vectors.add(embedding);
	}

	/** Number of embeddings added. */
	public int size() {
		return vectors.size();
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

	/** Writes the embeddings to {@code file} (and its planes file for the binary formats). */
	public void write(Path file, NDManager manager) {
		String format = format(file);
		if (format.equals("csv")) {
			AtomicFiles.write(file, out -> {
				Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
				StringBuilder sb = new StringBuilder("image,c,z,t");
				int d = vectors.isEmpty() ? 0 : vectors.get(0).length;
				for (int i = 0; i < d; i++) sb.append(",e").append(i);
				w.write(sb.append('\n').toString());
				for (int r = 0; r < vectors.size(); r++) {
					sb.setLength(0);
					planeFields(sb, r);
					for (float v : vectors.get(r)) sb.append(',').append(v);
					w.write(sb.append('\n').toString());
				}
				w.flush();
			});
			return;
		}
		try (NDManager scope = manager.newSubManager()) {
			NDList arrays = arrays(scope);
			AtomicFiles.write(file, out -> {
				if (format.equals("npz")) arrays.encode(out, NDList.Encoding.NPZ);
				else SafetensorsWriter.write(arrays, out);
			});
		}
		AtomicFiles.write(planesFile(file), out -> {
			Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
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

	private NDList arrays(NDManager scope) {
		int n = vectors.size(), d = n == 0 ? 0 : vectors.get(0).length;
		float[] flat = new float[n * d];
		int[][] czt = new int[3][n];
		for (int r = 0; r < n; r++) {
			System.arraycopy(vectors.get(r), 0, flat, r * d, d);
			for (int k = 0; k < 3; k++) czt[k][r] = positions.get(r)[k];
		}
		NDArray embeddings = scope.create(flat, new Shape(n, d));
		embeddings.setName("embeddings");
		NDList list = new NDList(embeddings);
		String[] keys = { "c", "z", "t" };
		for (int k = 0; k < 3; k++) {
			NDArray a = scope.create(czt[k]);
			a.setName(keys[k]);
			list.add(a);
		}
		return list;
	}
}
