package sc.fiji.clip.label;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.data.ImageReader;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.ImageFiles;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.model.ClipModel;

/**
 * Labels images zero-shot: every plane of open images, image files and folders gets the most probable labels of a
 * {@link ZeroShotClassifier}, delivered as {@link LabelResult} rows to a consumer as soon as its batch is done.
 * <p>
 * Planes are streamed: each is read (virtual stacks one plane at a time), converted to RGB as displayed and
 * preprocessed straight into one contiguous buffer per batch; a full batch is encoded with one
 * {@link ClipModel#encodeImages} call in its own scope and scored. Several batches are encoded side by side on the
 * CPU ({@link Builder#parallelBatches}), which for small models is much faster than one batch across all cores.
 * Memory is therefore bounded by the batch size times the batches in flight and the largest single image, not by
 * the number of planes.
 * <p>
 * Files are read as training reads them: single-plane PNG, JPEG, BMP and GIF files as Pillow does
 * ({@link ImageFiles#readRgb}; alpha dropped), TIFFs and multi-frame GIFs through ImageJ, plane by plane as
 * displayed. Folders are searched recursively and their files labelled in sorted order. A file that cannot be read
 * is skipped and reported in the {@link LabelSummary}; the run fails only if nothing at all could be labelled. A
 * {@link ProgressListener} hears progress after every batch and can cancel the run, which then stops before the
 * next batch and keeps the rows delivered so far (batches still being encoded are finished and dropped).
 * <p>
 * Not thread-safe; a labeller may run several times.
 */
public final class ZeroShotLabeller {

	/** Planes encoded together unless set otherwise. */
	public static final int DEFAULT_BATCH_SIZE = 64;

	/** Skip reasons kept in the summary unless set otherwise. */
	public static final int DEFAULT_REPORT_LINES = 20;

	private final ImageScorer classifier;
	private final ClipModel model;
	private final int requestedTopK, topK, batchSize, parallelBatches, reportLines;
	private final boolean allScores, embeddings, mergeChannels;
	private final ProgressListener progress;

	private ZeroShotLabeller(Builder b) {
		classifier = b.classifier;
		model = classifier.model();
		requestedTopK = b.topK;
		topK = Math.min(b.topK, classifier.labels().size());
		batchSize = b.batchSize;
		parallelBatches = b.parallelBatches;
		reportLines = b.reportLines;
		allScores = b.allScores;
		embeddings = b.embeddings;
		mergeChannels = b.mergeChannels;
		progress = b.progress;
	}

	/**
	 * A builder for a labeller scoring with {@code classifier} (which the caller keeps and closes): a
	 * {@link ZeroShotClassifier}, or a few-shot classifier that also uses labelled examples.
	 */
	public static Builder builder(ImageScorer classifier) {
		return new Builder(classifier);
	}

	/** Number of top labels per row: the number asked for, at most the number of labels. */
	public int topK() {
		return topK;
	}

	/** Whether the top-k asked for was more than the number of labels and was reduced to it. */
	public boolean topKClamped() {
		return requestedTopK > topK;
	}

	/** Whether rows keep the probability of every label. */
	public boolean allScores() {
		return allScores;
	}

	/** Whether rows keep the image embedding. */
	public boolean embeddings() {
		return embeddings;
	}

	/** Whether multichannel images give one row per composite of their channels. */
	public boolean mergeChannels() {
		return mergeChannels;
	}

	/** Planes per batch. */
	public int batchSize() {
		return batchSize;
	}

	/**
	 * Batches encoded side by side when not set: on the CPU one per libtorch thread (each batch then runs on one
	 * core), at most {@value BatchThreads#MAX_DEFAULT}; on a GPU one.
	 */
	public static int defaultParallelBatches(ClipModel model) {
		return BatchThreads.defaultCount(model.device());
	}

	/** The classifier whose labels are used. */
	public ImageScorer classifier() {
		return classifier;
	}

	/** Labels every plane of an open image. */
	public LabelSummary label(ImagePlus image, Consumer<? super LabelResult> rows) {
		return label(List.of(LabelInput.of(image)), rows);
	}

	/** Labels an image file, or every image file under a folder. */
	public LabelSummary label(Path fileOrFolder, Consumer<? super LabelResult> rows) {
		return label(List.of(LabelInput.of(fileOrFolder)), rows);
	}

	/**
	 * Labels the inputs in order, giving each plane's row to {@code rows} as its batch completes.
	 *
	 * @throws ClipException if nothing could be labelled: no image files found, or every file unreadable
	 */
	public LabelSummary label(List<LabelInput> inputs, Consumer<? super LabelResult> rows) {
		Objects.requireNonNull(inputs, "inputs");
		Objects.requireNonNull(rows, "rows");
		return new Run(rows).run(inputs);
	}

	/** One file or open image to label, with the number of planes it is expected to have. */
	private static final class Entry {
		final String name;
		final Path file;
		final ImageHeader header;
		final ImagePlus image;
		final long estimate;

		Entry(String name, Path file, ImageHeader header, ImagePlus image, long estimate) {
			this.name = name;
			this.file = file;
			this.header = header;
			this.image = image;
			this.estimate = estimate;
		}

		/** A single-plane file other than TIFF: read as training reads it ({@link ImageFiles#readRgb}). */
		boolean singlePlaneFile() {
			return header != null && header.format() != ImageHeader.Format.TIFF && header.planes() == 1;
		}
	}

	/** Planes of one batch: their preprocessed pixels, in native memory the engine reads in place, and where each came from. */
	private static final class Batch {
		final ByteBuffer bytes;
		final FloatBuffer pixels;
		final String[] names;
		final int[][] positions;
		final int[] entryOf;
		/** planes this batch takes before it is encoded: at most its size, fewer for the last planes of a run */
		int limit;
		int count;

		Batch(int size, int planeLength) {
			bytes = ByteBuffer.allocateDirect(size * planeLength * Float.BYTES).order(ByteOrder.nativeOrder());
			pixels = bytes.asFloatBuffer();
			names = new String[size];
			positions = new int[size][];
			entryOf = new int[size];
			limit = size;
		}

		int size() {
			return names.length;
		}
	}

	/** What encoding a batch gave: label probabilities, and image embeddings if asked for, row by row. */
	private static final class Encoded {
		final float[] probabilities, vectors;

		Encoded(float[] probabilities, float[] vectors) {
			this.probabilities = probabilities;
			this.vectors = vectors;
		}
	}

	/** A batch handed to the encoding threads, and its result to come. */
	private static final class InFlight {
		final Batch batch;
		final Future<Encoded> encoded;

		InFlight(Batch batch, Future<Encoded> encoded) {
			this.batch = batch;
			this.encoded = encoded;
		}
	}

	/**
	 * The state of one call to {@link #label(List, Consumer)}. The caller's thread reads planes, preprocessing
	 * workers fill a batch, and full batches are encoded on {@link BatchThreads}, several side by side; rows are
	 * delivered on the caller's thread in input order.
	 */
	private final class Run {
		final Consumer<? super LabelResult> sink;
		final Skips skips = new Skips(reportLines);
		final ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		final ParallelPreprocessing preprocessing = new ParallelPreprocessing(processor, Runtime.getRuntime().availableProcessors());
		final int size = model.imageSize();
		final int planeLength = 3 * size * size;
		final int labelCount = classifier.labels().size();
		final Deque<Batch> free = new ArrayDeque<>();
		final Deque<InFlight> inFlight = new ArrayDeque<>();
		BatchThreads encoders;
		Batch filling;
		long done, total, added;
		int images, lastEntry = -1;

		Run(Consumer<? super LabelResult> sink) {
			this.sink = sink;
		}

		LabelSummary run(List<LabelInput> inputs) {
			long start = System.nanoTime();
			List<Entry> entries;
			try {
				entries = plan(inputs);
				for (Entry e : entries) total += e.estimate;
				encoders = BatchThreads.start(encodingThreads(), "fiji-clip-encoding");
			} catch (RuntimeException e) {
				preprocessing.close();
				throw e;
			}
			try (preprocessing; BatchThreads threads = encoders) {
				try {
					return runAll(entries, start);
				} finally {
					for (InFlight f : inFlight) f.encoded.cancel(false); // batches not started yet; closing waits for the rest
					inFlight.clear();
				}
			}
		}

		/**
		 * As many as asked for, or {@link #defaultParallelBatches}, but no more than the batches the planes fill: one
		 * image is one batch, encoded by one thread with all the engine's cores.
		 */
		private int encodingThreads() {
			int wanted = parallelBatches > 0 ? parallelBatches : defaultParallelBatches(model);
			long batches = Math.max(1, (total + batchSize - 1) / batchSize);
			return (int) Math.min(wanted, batches);
		}

		private LabelSummary runAll(List<Entry> entries, long start) {
			boolean cancelled = progress.isCancelled();
			for (int index = 0; index < entries.size() && !cancelled; index++) {
				cancelled = label(entries.get(index), index);
			}
			if (!cancelled && filling != null && filling.count > 0) submit();
			while (!cancelled && !inFlight.isEmpty()) cancelled = deliver();
			if (done == 0 && !cancelled && skips.count() > 0) {
				String more = skips.count() > skips.lines().size() ? "; and " + (skips.count() - skips.lines().size())
					+ " more" : "";
				throw new ClipException("No image could be labelled: " + skips.count() + (skips.count() == 1 ? " file"
					: " files") + " skipped (" + String.join("; ", skips.lines()) + more + "). Replace or remove the "
					+ "unreadable files.");
			}
			return new LabelSummary(done, images, skips, cancelled, (System.nanoTime() - start) / 1e9);
		}

		/** Expands folders into their image files and estimates the plane counts from file headers. */
		private List<Entry> plan(List<LabelInput> inputs) {
			List<Entry> entries = new ArrayList<>();
			List<String> empty = new ArrayList<>();
			for (LabelInput input : inputs) {
				if (input.image() != null) {
					entries.add(new Entry(input.name(), null, null, input.image(),
						new PlaneReader(input.image(), mergeChannels).count()));
				} else if (input.isFolder()) {
					List<Path> files = FolderImages.list(input.path(), skips);
					if (files.isEmpty()) empty.add(input.path().toString());
					for (Path rel : files) addFile(entries, FolderImages.name(rel), input.path().resolve(rel));
				} else {
					addFile(entries, input.name(), input.path());
				}
			}
			if (entries.isEmpty() && skips.count() == 0) {
				throw new ClipException("No image files found in " + String.join(", ", empty) + ". Fiji CLIP labels files "
					+ "ending in ." + String.join(", .", ImageReader.EXTENSIONS) + " (searched recursively; hidden files "
					+ "are ignored).");
			}
			return entries;
		}

		private void addFile(List<Entry> entries, String name, Path file) {
			try {
				ImageHeader header = ImageReader.inspect(file);
				entries.add(new Entry(name, file, header, null, header.planes()));
			} catch (ImageReadException e) {
				skips.add(name, e.reason());
			}
		}

		/** Labels one entry's planes; returns whether the run was cancelled. */
		private boolean label(Entry entry, int index) {
			if (entry.singlePlaneFile()) {
				RgbImage rgb;
				try {
					rgb = ImageFiles.readRgb(entry.file);
				} catch (ImageReadException e) {
					skips.add(entry.name, e.reason());
					total -= entry.estimate;
					return false;
				}
				add(rgb, entry, index, new int[] { 1, 1, 1 });
				return batchDone();
			}
			ImagePlus imp = entry.image;
			if (imp == null) {
				try {
					imp = ImageReader.open(entry.file);
				} catch (ImageReadException e) {
					skips.add(entry.name, e.reason());
					total -= entry.estimate;
					return false;
				}
			}
			try {
				PlaneReader reader = new PlaneReader(imp, mergeChannels);
				int count = reader.count();
				total += count - entry.estimate;
				for (int i = 0; i < count; i++) {
					RgbImage rgb;
					try {
						rgb = reader.rgb(i);
					} catch (RuntimeException e) {
						if (entry.file == null) throw e;
						skips.add(entry.name, "plane " + (i + 1) + " of " + count + " cannot be read (" + e + ")");
						total -= count - i;
						return false;
					}
					add(rgb, entry, index, reader.position(i));
					if (batchDone()) return true;
				}
				return false;
			} finally {
				if (entry.file != null) imp.flush();
			}
		}

		/**
		 * Hands a full batch to the encoding threads; when all are busy, delivers the oldest batch's rows and
		 * reports progress. Returns whether the run was cancelled.
		 */
		private boolean batchDone() {
			if (filling.count < filling.limit) return false;
			submit();
			boolean cancelled = false;
			while (!cancelled && inFlight.size() >= encoders.size()) cancelled = deliver();
			return cancelled;
		}

		private void add(RgbImage rgb, Entry entry, int index, int[] czt) {
			int length = processor.outputLength(rgb);
			if (length != planeLength) {
				int[] hw = processor.outputSize(rgb.width(), rgb.height());
				throw new ClipException("The model's image preprocessing turns " + entry.name + " (" + rgb.width() + " x "
					+ rgb.height() + ") into " + hw[1] + " x " + hw[0] + " pixels, but the model takes " + size + " x "
					+ size + ". Its preprocessor_config.json should centre-crop to " + size + " pixels.");
			}
			if (filling == null) filling = nextBatch();
			int row = filling.count++;
			added++;
			preprocessing.submit(rgb, filling.pixels, row * planeLength);
			filling.names[row] = entry.name;
			filling.positions[row] = czt;
			filling.entryOf[row] = index;
		}

		/** An empty batch for the planes to come: as many as are left (by the estimate), at most the batch size. */
		private Batch nextBatch() {
			int wanted = (int) Math.max(1, Math.min(batchSize, total - added));
			Batch b = !free.isEmpty() && free.peek().size() >= wanted ? free.pop() : new Batch(wanted, planeLength);
			b.limit = wanted;
			return b;
		}

		/** Starts encoding the batch being filled once its planes are preprocessed. */
		private void submit() {
			preprocessing.await();
			Batch batch = filling;
			filling = null;
			inFlight.add(new InFlight(batch, encoders.submit(() -> encode(batch))));
		}

		/** Encodes and scores a batch (on an encoding thread). */
		private Encoded encode(Batch b) {
			int n = b.count;
			ByteBuffer pixels = b.bytes.duplicate().order(ByteOrder.nativeOrder());
			pixels.clear().limit(n * planeLength * Float.BYTES);
			try (NDManager scope = model.newScope()) {
				NDArray encoded = model.encodeImages(scope.create(pixels, new Shape(n, 3, size, size), DataType.FLOAT32));
				return new Encoded(classifier.probabilities(encoded).toFloatArray(), embeddings ? encoded.toFloatArray() : null);
			}
		}

		/** Delivers the rows of the oldest batch in flight and reports progress; returns whether to stop. */
		private boolean deliver() {
			InFlight oldest = inFlight.poll();
			Encoded e = Tasks.result(oldest.encoded, "Labelling");
			Batch b = oldest.batch;
			int dim = model.config().projection_dim;
			for (int r = 0; r < b.count; r++) {
				int offset = r * labelCount;
				int[] top = top(e.probabilities, offset, labelCount, topK);
				String[] labels = new String[top.length];
				float[] scores = new float[top.length];
				for (int k = 0; k < top.length; k++) {
					labels[k] = classifier.labels().get(top[k]);
					scores[k] = e.probabilities[offset + top[k]];
				}
				float[] all = allScores ? Arrays.copyOfRange(e.probabilities, offset, offset + labelCount) : null;
				float[] vector = e.vectors == null ? null : Arrays.copyOfRange(e.vectors, r * dim, (r + 1) * dim);
				int[] czt = b.positions[r];
				if (b.entryOf[r] != lastEntry) {
					images++;
					lastEntry = b.entryOf[r];
				}
				String name = b.names[r];
				b.names[r] = null;
				done++;
				sink.accept(new LabelResult(name, czt[0], czt[1], czt[2], labels, scores, all, vector));
			}
			b.count = 0;
			free.push(b);
			progress.progress(done, total);
			return progress.isCancelled();
		}
	}

	/** Indices of the {@code k} largest of {@code p[offset .. offset + n)}, largest first, ties by lower index. */
	static int[] top(float[] p, int offset, int n, int k) {
		if (k <= 32) {
			int[] best = new int[k];
			int size = 0;
			for (int i = 0; i < n; i++) {
				float v = p[offset + i];
				if (size == k && !(v > p[offset + best[k - 1]])) continue;
				int j = size < k ? size++ : k - 1;
				while (j > 0 && v > p[offset + best[j - 1]]) {
					best[j] = best[j - 1];
					j--;
				}
				best[j] = i;
			}
			return best;
		}
		long[] keys = new long[n];
		for (int i = 0; i < n; i++) {
			// probabilities are >= 0, so their bit patterns sort as the values do
			keys[i] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(p[offset + i])) << 32) | i;
		}
		Arrays.sort(keys);
		int[] best = new int[k];
		for (int i = 0; i < k; i++) best[i] = (int) keys[i];
		return best;
	}

	/** Options of a {@link ZeroShotLabeller}. */
	public static final class Builder {
		private final ImageScorer classifier;
		private int topK = 1;
		private int batchSize = DEFAULT_BATCH_SIZE;
		private int parallelBatches;
		private int reportLines = DEFAULT_REPORT_LINES;
		private boolean allScores, embeddings, mergeChannels;
		private ProgressListener progress = ProgressListener.NONE;

		private Builder(ImageScorer classifier) {
			this.classifier = Objects.requireNonNull(classifier, "classifier");
		}

		/**
		 * Number of most probable labels per row (default 1); more than the number of labels gives all of them
		 * ({@link ZeroShotLabeller#topKClamped()} says so).
		 */
		public Builder topK(int k) {
			if (k < 1) throw new ClipException("The number of top labels must be at least 1, not " + k + ".");
			topK = k;
			return this;
		}

		/** Whether rows keep the probability of every label (default false). */
		public Builder allScores(boolean value) {
			allScores = value;
			return this;
		}

		/** Whether rows keep the plane's image embedding (default false). */
		public Builder embeddings(boolean value) {
			embeddings = value;
			return this;
		}

		/**
		 * Whether a multichannel image gives one row per (slice, frame) for the composite of its channels, rather
		 * than one row per plane (default false).
		 */
		public Builder mergeChannels(boolean value) {
			mergeChannels = value;
			return this;
		}

		/**
		 * Planes encoded together (default {@value ZeroShotLabeller#DEFAULT_BATCH_SIZE}). Memory grows with it: one
		 * batch holds {@code 3 x size x size} floats per plane on the Java heap and the model's activations on the
		 * device.
		 */
		public Builder batchSize(int n) {
			if (n < 1) throw new ClipException("The batch size must be at least 1, not " + n + ".");
			batchSize = n;
			return this;
		}

		/**
		 * Batches encoded side by side, each on its own thread (default 0: {@link #defaultParallelBatches}). With
		 * more than one, each batch's libtorch ops run on one core.
		 */
		public Builder parallelBatches(int n) {
			if (n < 0) throw new ClipException("The number of batches encoded side by side must be 0 (automatic) or more, not " + n + ".");
			parallelBatches = n;
			return this;
		}

		/** Hears progress and may cancel (default: none). */
		public Builder progress(ProgressListener listener) {
			progress = listener == null ? ProgressListener.NONE : listener;
			return this;
		}

		/** Number of skip reasons the summary keeps (default {@value ZeroShotLabeller#DEFAULT_REPORT_LINES}). */
		public Builder reportLines(int n) {
			if (n < 0) throw new IllegalArgumentException("reportLines must be >= 0, was " + n);
			reportLines = n;
			return this;
		}

		public ZeroShotLabeller build() {
			return new ZeroShotLabeller(this);
		}
	}
}
