package sc.fiji.clip.search;

import ai.djl.ndarray.NDArray;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageReader;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.label.FolderImages;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.Skips;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.WeightsFingerprint;

/**
 * Makes or updates an {@link EmbeddingIndex}: every plane of every image file under the given files and folders
 * (the reader and plane rules of labelling) is embedded through the {@link EncodingPipeline}.
 * <p>
 * Run again on an existing index, only new files and files whose size or modification time changed are embedded;
 * rows of files that are gone or no longer under the indexed paths are dropped (rclip's incremental index). An
 * index made with another model (another {@link WeightsFingerprint}), another channel rule or storage type is
 * refused. The new index is written into a sibling folder and swapped in when complete, so a failure leaves the old
 * one as it was; a cancelled run writes what it embedded so far (whole files only), and the next run goes on from
 * there.
 */
public final class Indexer {

	private final ClipModel model;
	private final String modelPath;
	private final boolean half, mergeChannels;
	private final EncodingPipeline pipeline;

	private Indexer(Builder b) {
		model = b.model;
		modelPath = b.modelPath;
		half = b.half;
		pipeline = b.pipeline.failWhenNothingRead(false).build();
		mergeChannels = pipeline.mergeChannels();
	}

	/** A builder for indexing with {@code model}, loaded from {@code modelPath} (which search loads again). */
	public static Builder builder(ClipModel model, Path modelPath) {
		return new Builder(model, modelPath);
	}

	/**
	 * Makes {@code folder} an index of {@code roots} (files and folders), or updates the index there; no roots: those
	 * the index was made with.
	 *
	 * @throws ClipException for a folder that is not an index, an index of another model, or missing roots
	 */
	public IndexSummary update(Path folder, List<Path> roots) {
		long start = System.nanoTime();
		Path target = folder.toAbsolutePath().normalize();
		String fingerprint = WeightsFingerprint.of(model);
		try (EmbeddingIndex old = existing(target, fingerprint)) {
			List<String> rootNames = rootNames(roots, old, target);
			Skips skips = new Skips(EncodingPipeline.DEFAULT_REPORT_LINES);
			Map<String, long[]> files = list(rootNames, skips);
			Map<String, List<Integer>> oldRows = new HashMap<>();
			if (old != null) {
				for (int i = 0; i < old.size(); i++) oldRows.computeIfAbsent(old.plane(i).path(), p -> new ArrayList<>()).add(i);
			}
			List<Row> rows = new ArrayList<>();
			List<LabelInput> toEmbed = new ArrayList<>();
			int kept = 0;
			for (Map.Entry<String, long[]> f : files.entrySet()) {
				List<Integer> previous = oldRows.get(f.getKey());
				if (previous != null && unchanged(old.plane(previous.get(0)), f.getValue())) {
					for (int i : previous) rows.add(new Row(old.plane(i), i, -1));
					kept++;
				} else {
					toEmbed.add(LabelInput.of(Path.of(f.getKey()), f.getKey()));
				}
			}
			Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
			deleteTree(partial);
			Files.createDirectories(partial);
			try {
				Embedded embedded;
				try (RowSpool spool = new RowSpool(partial.resolve("new.raw"))) {
					embedded = embed(toEmbed, files, spool);
					rows.addAll(embedded.rows);
					rows.sort(Comparator.comparing(r -> r.plane.path()));
					write(partial, rows, old, spool, fingerprint, rootNames);
				}
				if (old != null) old.close();
				swap(partial, target);
				java.util.Set<String> now = new java.util.HashSet<>();
				for (Row r : rows) now.add(r.plane.path());
				int removed = 0;
				for (String path : oldRows.keySet()) if (!now.contains(path)) removed++;
				List<String> lines = new ArrayList<>(skips.lines());
				int skipped = skips.count();
				if (embedded.summary != null) {
					lines.addAll(embedded.summary.skipLines());
					skipped += embedded.summary.skipped();
				}
				return new IndexSummary(kept, embedded.files, embedded.rows.size(), removed, rows.size(), skipped, lines,
					embedded.summary != null && embedded.summary.cancelled(), (System.nanoTime() - start) / 1e9);
			} finally {
				deleteTree(partial);
			}
		} catch (IOException e) {
			throw new ClipException("Cannot write the index " + target + ": " + e.getMessage(), e);
		}
	}

	/** A row of the new index: its plane, and where its embedding is (a row of the old index, or a new row). */
	private static final class Row {
		final IndexedPlane plane;
		final int oldRow, newRow;

		Row(IndexedPlane plane, int oldRow, int newRow) {
			this.plane = plane;
			this.oldRow = oldRow;
			this.newRow = newRow;
		}
	}

	/** What embedding the new and changed files gave: their rows (whole files only), and the run's summary. */
	private static final class Embedded {
		final List<Row> rows = new ArrayList<>();
		LabelSummary summary;
		int files;
	}

	/** The index already in {@code folder}, checked against this model and options; null if there is none. */
	private EmbeddingIndex existing(Path folder, String fingerprint) throws IOException {
		if (!Files.exists(folder)) return null;
		if (!Files.isDirectory(folder)) throw new ClipException("Cannot make the index " + folder + ": it is a file. Give a folder.");
		if (!EmbeddingIndex.isIndex(folder)) {
			try (Stream<Path> entries = Files.list(folder)) {
				if (entries.findAny().isPresent()) {
					throw new ClipException("Cannot make the index in " + folder + ": the folder is not empty and holds no "
						+ "index. Give a new or empty folder.");
				}
			}
			return null;
		}
		EmbeddingIndex old = EmbeddingIndex.open(folder);
		String problem = null;
		if (!old.modelFingerprint().equals(fingerprint)) {
			problem = "it was made with another model (" + old.modelPath() + ", fingerprint "
				+ old.modelFingerprint().substring(0, 12) + "; this one's is " + fingerprint.substring(0, 12) + ")";
		} else if (old.mergeChannels() != mergeChannels) {
			problem = "it was made " + (old.mergeChannels() ? "with" : "without") + " merged channels";
		} else if (old.half() != half) {
			problem = "it stores " + (old.half() ? "float16" : "float32") + " embeddings";
		}
		if (problem != null) {
			old.close();
			throw new ClipException("Cannot update the index " + folder + ": " + problem + ". Index into a new folder, or "
				+ "update it with the same model and options.");
		}
		return old;
	}

	private static List<String> rootNames(List<Path> roots, EmbeddingIndex old, Path target) {
		List<String> names = new ArrayList<>();
		if (roots.isEmpty()) {
			if (old == null) throw new ClipException("Nothing to index: give the image files and folders to index into " + target + ".");
			names.addAll(old.roots());
		} else {
			for (Path r : roots) names.add(r.toAbsolutePath().normalize().toString());
		}
		for (String name : names) {
			Path p = Path.of(name);
			if (!Files.exists(p)) {
				throw new ClipException("Cannot index " + name + ": it does not exist. Give image files and folders of images.");
			}
			if (!Files.isDirectory(p) && !ImageReader.isImageName(p.getFileName().toString())) {
				throw new ClipException("Cannot index " + name + ": it is not an image file (." + String.join(", .",
					ImageReader.EXTENSIONS) + ") or a folder.");
			}
		}
		return names;
	}

	/** The image files under the roots with their size and modification time, in order, each once. */
	private static Map<String, long[]> list(List<String> roots, Skips skips) throws IOException {
		Map<String, long[]> files = new LinkedHashMap<>();
		for (String root : roots) {
			Path r = Path.of(root);
			List<Path> found = new ArrayList<>();
			if (Files.isDirectory(r)) {
				for (Path rel : FolderImages.list(r, skips)) found.add(r.resolve(rel));
			} else {
				found.add(r);
			}
			for (Path f : found) {
				BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
				files.putIfAbsent(f.toString(), new long[] { a.size(), a.lastModifiedTime().toMillis() });
			}
		}
		return files;
	}

	private static boolean unchanged(IndexedPlane plane, long[] stat) {
		return plane.size() == stat[0] && plane.modified() == stat[1];
	}

	/** Embeds the files into {@code spool}; on cancel, only whole files count. */
	private Embedded embed(List<LabelInput> inputs, Map<String, long[]> stats, RowSpool spool) throws IOException {
		Embedded e = new Embedded();
		int dim = model.config().projection_dim;
		try {
			if (inputs.isEmpty()) return e;
			e.summary = pipeline.run(inputs, NDArray::toFloatArray, (plane, batch, row) -> {
				spool.add(batch, row * dim, dim);
				long[] stat = stats.get(plane.name());
				e.rows.add(new Row(new IndexedPlane(plane.name(), plane.channel(), plane.slice(), plane.frame(), stat[0],
					stat[1]), -1, e.rows.size()));
			});
		} catch (UncheckedIOException x) {
			throw x.getCause();
		}
		if (e.summary.cancelled() && !e.rows.isEmpty()) {
			// the last file's planes may be incomplete: leave it to the next run
			String last = e.rows.get(e.rows.size() - 1).plane.path();
			while (!e.rows.isEmpty() && e.rows.get(e.rows.size() - 1).plane.path().equals(last)) e.rows.remove(e.rows.size() - 1);
		}
		String previous = null;
		for (Row r : e.rows) {
			if (!r.plane.path().equals(previous)) e.files++;
			previous = r.plane.path();
		}
		return e;
	}

	/** Writes the index files into {@code folder}: embeddings, planes, then index.json. */
	private void write(Path folder, List<Row> rows, EmbeddingIndex old, RowSpool spool, String fingerprint,
		List<String> roots) throws IOException
	{
		int dim = model.config().projection_dim;
		float[] row = new float[dim];
		try (EmbeddingMatrix fresh = spool.read();
			OutputStream out = new BufferedOutputStream(Files.newOutputStream(folder.resolve(EmbeddingIndex.EMBEDDINGS)), 1 << 20))
		{
			MatrixOutput matrix = new MatrixOutput(out, EmbeddingIndex.TENSOR, rows.size(), dim, half,
				Map.of("format", "np", "producer", "fiji-clip index"));
			for (Row r : rows) {
				if (r.oldRow >= 0) old.matrix().row(r.oldRow, row);
				else fresh.row(r.newRow, row);
				matrix.row(row, 0);
			}
			matrix.finish();
		}
		try (Writer w = Files.newBufferedWriter(folder.resolve(EmbeddingIndex.PLANES), StandardCharsets.UTF_8)) {
			w.write(EmbeddingIndex.PLANES_HEADER + "\n");
			for (Row r : rows) {
				IndexedPlane p = r.plane;
				w.write(LabelCsvWriter.quote(p.path()) + "," + p.channel() + "," + p.slice() + "," + p.frame() + "," + p.size()
					+ "," + p.modified() + "\n");
			}
		}
		IndexInfo info = new IndexInfo();
		info.model_fingerprint = fingerprint;
		info.model = modelPath;
		info.dimension = dim;
		info.rows = rows.size();
		info.dtype = half ? "float16" : "float32";
		info.merge_channels = mergeChannels;
		info.roots = new ArrayList<>(roots);
		info.updated = Instant.now().toString();
		Files.writeString(folder.resolve(EmbeddingIndex.INFO), info.toJson(), StandardCharsets.UTF_8);
	}

	/** Puts the complete new index in place of the old one, which is removed. */
	private static void swap(Path partial, Path target) throws IOException {
		if (Files.exists(target)) {
			Path previous = target.resolveSibling("." + target.getFileName() + ".previous");
			deleteTree(previous);
			Files.move(target, previous);
			Files.move(partial, target);
			deleteTree(previous);
		} else {
			if (target.getParent() != null) Files.createDirectories(target.getParent());
			Files.move(partial, target);
		}
	}

	private static void deleteTree(Path folder) throws IOException {
		if (!Files.exists(folder)) return;
		try (Stream<Path> all = Files.walk(folder)) {
			for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
		}
	}

	/** Options of an {@link Indexer}; the encoding options are those of {@link EncodingPipeline.Builder}. */
	public static final class Builder {
		private final ClipModel model;
		private final String modelPath;
		private final EncodingPipeline.Builder pipeline;
		private boolean half;

		private Builder(ClipModel model, Path modelPath) {
			this.model = Objects.requireNonNull(model, "model");
			this.modelPath = modelPath.toAbsolutePath().normalize().toString();
			this.pipeline = EncodingPipeline.builder(model);
		}

		/** Store float16 rather than float32 embeddings (default false): half the disk and a faster scan. */
		public Builder half(boolean value) {
			half = value;
			return this;
		}

		/** See {@link EncodingPipeline.Builder#mergeChannels}. */
		public Builder mergeChannels(boolean value) {
			pipeline.mergeChannels(value);
			return this;
		}

		/** See {@link EncodingPipeline.Builder#batchSize}. */
		public Builder batchSize(int n) {
			pipeline.batchSize(n);
			return this;
		}

		/** Hears progress and may cancel (default: none). */
		public Builder progress(ProgressListener listener) {
			pipeline.progress(listener);
			return this;
		}

		public Indexer build() {
			return new Indexer(this);
		}
	}
}
