package sc.fiji.clip.label;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Future;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.model.ClipModel;

/**
 * Planes in, image embeddings out, in order: the one pipeline that labelling, indexing, embedding export, ROI
 * labelling and tile maps share.
 * <p>
 * Planes are streamed: each is read (virtual stacks one plane at a time), converted to RGB as displayed and
 * preprocessed on worker threads straight into one contiguous native buffer per batch; a full batch is encoded with
 * one {@link ClipModel#encodeImages} call in its own scope and handed, still in that scope, to a {@link BatchEncoder}
 * that turns the embeddings into what its caller keeps (probabilities, vectors). Several batches are encoded side by
 * side on the CPU ({@link Builder#parallelBatches}), which for small models is much faster than one batch across all
 * cores. Memory is bounded by the batch size times the batches in flight and the largest single image, not by the
 * number of planes.
 * <p>
 * A group that cannot be read and is {@link PlaneGroup#skippable() skippable} (a file) is skipped and reported in
 * the {@link LabelSummary}; the run fails only if nothing at all could be read. A {@link ProgressListener} hears
 * progress after every batch and can cancel the run, which then stops before the next batch and keeps the rows
 * delivered so far (batches still being encoded are finished and dropped).
 * <p>
 * Not thread-safe; a pipeline may run several times.
 */
public final class EncodingPipeline {

	/** Planes encoded together unless set otherwise. */
	public static final int DEFAULT_BATCH_SIZE = 64;

	/** Skip reasons kept in the summary unless set otherwise. */
	public static final int DEFAULT_REPORT_LINES = 20;

	/** Turns a batch's embeddings into a result; runs on an encoding thread, inside the batch's scope. */
	public interface BatchEncoder<T> {
		/** {@code embeddings}: L2-normalised, [planes, projection]. */
		T encode(NDArray embeddings);
	}

	/** Receives each plane with its batch's result, on the caller's thread, in input order. */
	public interface RowSink<T> {
		/** Plane {@code plane} is row {@code row} of {@code batch}. */
		void accept(Plane plane, T batch, int row);
	}

	private final ClipModel model;
	private final int batchSize, parallelBatches, reportLines;
	private final boolean mergeChannels, failWhenNothingRead;
	private final ProgressListener progress;

	private EncodingPipeline(Builder b) {
		model = b.model;
		batchSize = b.batchSize;
		parallelBatches = b.parallelBatches;
		reportLines = b.reportLines;
		mergeChannels = b.mergeChannels;
		failWhenNothingRead = b.failWhenNothingRead;
		progress = b.progress;
	}

	/** A builder for a pipeline encoding with {@code model} (which the caller keeps and closes). */
	public static Builder builder(ClipModel model) {
		return new Builder(model);
	}

	/** The model encoding the planes. */
	public ClipModel model() {
		return model;
	}

	/** Planes per batch. */
	public int batchSize() {
		return batchSize;
	}

	/** Whether multichannel images give one plane per composite of their channels. */
	public boolean mergeChannels() {
		return mergeChannels;
	}

	/**
	 * Batches encoded side by side when not set: on the CPU one per libtorch thread (each batch then runs on one
	 * core), at most {@value BatchThreads#MAX_DEFAULT}; on a GPU one.
	 */
	public static int defaultParallelBatches(ClipModel model) {
		return BatchThreads.defaultCount(model.device());
	}

	/**
	 * Encodes every plane of open images, image files and folders (see {@link LabelInput}).
	 *
	 * @throws ClipException if nothing could be read: no image files found, or every file unreadable
	 */
	public <T> LabelSummary run(List<LabelInput> inputs, BatchEncoder<T> encoder, RowSink<? super T> rows) {
		Objects.requireNonNull(inputs, "inputs");
		Skips skips = new Skips(reportLines);
		return new Run<T>(encoder, rows, skips).run(InputGroups.of(inputs, mergeChannels, skips));
	}

	/** Encodes the planes of {@code groups} (tiles, regions, or any other source of planes). */
	public <T> LabelSummary runGroups(List<? extends PlaneGroup> groups, BatchEncoder<T> encoder, RowSink<? super T> rows) {
		Objects.requireNonNull(groups, "groups");
		return new Run<T>(encoder, rows, new Skips(reportLines)).run(groups);
	}

	/** Planes of one batch: their preprocessed pixels, in native memory the engine reads in place, and their origin. */
	private static final class Batch {
		final ByteBuffer bytes;
		final FloatBuffer pixels;
		final Plane[] planes;
		/** planes this batch takes before it is encoded: at most its size, fewer for the last planes of a run */
		int limit;
		int count;

		Batch(int size, int planeLength) {
			bytes = ByteBuffer.allocateDirect(size * planeLength * Float.BYTES).order(ByteOrder.nativeOrder());
			pixels = bytes.asFloatBuffer();
			planes = new Plane[size];
			limit = size;
		}

		int size() {
			return planes.length;
		}
	}

	/** A batch handed to the encoding threads, and its result to come. */
	private static final class InFlight<T> {
		final Batch batch;
		final Future<T> encoded;

		InFlight(Batch batch, Future<T> encoded) {
			this.batch = batch;
			this.encoded = encoded;
		}
	}

	/**
	 * The state of one run. The caller's thread reads planes, preprocessing workers fill a batch, and full batches
	 * are encoded on {@link BatchThreads}, several side by side; rows are delivered on the caller's thread in order.
	 */
	private final class Run<T> {
		final BatchEncoder<T> encoder;
		final RowSink<? super T> sink;
		final Skips skips;
		final ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		final ParallelPreprocessing preprocessing = new ParallelPreprocessing(processor, Runtime.getRuntime().availableProcessors());
		final int size = model.imageSize();
		final int planeLength = 3 * size * size;
		final Deque<Batch> free = new ArrayDeque<>();
		final Deque<InFlight<T>> inFlight = new ArrayDeque<>();
		BatchThreads encoders;
		Batch filling;
		long done, total, added;
		int images, lastGroup = -1;

		Run(BatchEncoder<T> encoder, RowSink<? super T> sink, Skips skips) {
			this.encoder = Objects.requireNonNull(encoder, "encoder");
			this.sink = Objects.requireNonNull(sink, "rows");
			this.skips = skips;
		}

		LabelSummary run(List<? extends PlaneGroup> groups) {
			long start = System.nanoTime();
			try {
				for (PlaneGroup g : groups) total += g.estimate();
				encoders = BatchThreads.start(encodingThreads(), "fiji-clip-encoding");
			} catch (RuntimeException e) {
				preprocessing.close();
				throw e;
			}
			try (preprocessing; BatchThreads threads = encoders) {
				try {
					return runAll(groups, start);
				} finally {
					for (InFlight<T> f : inFlight) f.encoded.cancel(false); // batches not started yet; closing waits for the rest
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

		private LabelSummary runAll(List<? extends PlaneGroup> groups, long start) {
			boolean cancelled = progress.isCancelled();
			for (int index = 0; index < groups.size() && !cancelled; index++) {
				cancelled = read(groups.get(index), index);
			}
			if (!cancelled && filling != null && filling.count > 0) submit();
			while (!cancelled && !inFlight.isEmpty()) cancelled = deliver();
			if (done == 0 && !cancelled && skips.count() > 0 && failWhenNothingRead) {
				String more = skips.count() > skips.lines().size() ? "; and " + (skips.count() - skips.lines().size())
					+ " more" : "";
				throw new ClipException("No image could be read: " + skips.count() + (skips.count() == 1 ? " file"
					: " files") + " skipped (" + String.join("; ", skips.lines()) + more + "). Replace or remove the "
					+ "unreadable files.");
			}
			return new LabelSummary(done, images, skips, cancelled, (System.nanoTime() - start) / 1e9);
		}

		/** Reads one group's planes into batches; returns whether the run was cancelled. */
		private boolean read(PlaneGroup group, int index) {
			PlaneGroup.Planes planes;
			try {
				planes = group.open();
			} catch (ImageReadException e) {
				if (!group.skippable()) throw new ClipException("Cannot read " + group.name() + ": " + e.reason(), e);
				skips.add(group.name(), e.reason());
				total -= group.estimate();
				return false;
			}
			try (planes) {
				int count = planes.count();
				total += count - group.estimate();
				for (int i = 0; i < count; i++) {
					RgbImage rgb;
					try {
						rgb = planes.rgb(i);
					} catch (RuntimeException e) {
						if (!group.skippable()) throw e;
						skips.add(group.name(), "plane " + (i + 1) + " of " + count + " cannot be read (" + e + ")");
						total -= count - i;
						return false;
					}
					add(rgb, new Plane(index, i, group.name(), group.file(), planes.position(i)));
					if (batchDone()) return true;
				}
				return false;
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

		private void add(RgbImage rgb, Plane plane) {
			int length = processor.outputLength(rgb);
			if (length != planeLength) {
				int[] hw = processor.outputSize(rgb.width(), rgb.height());
				throw new ClipException("The model's image preprocessing turns " + plane.name() + " (" + rgb.width() + " x "
					+ rgb.height() + ") into " + hw[1] + " x " + hw[0] + " pixels, but the model takes " + size + " x "
					+ size + ". Its preprocessor_config.json should centre-crop to " + size + " pixels.");
			}
			if (filling == null) filling = nextBatch();
			int row = filling.count++;
			added++;
			preprocessing.submit(rgb, filling.pixels, row * planeLength);
			filling.planes[row] = plane;
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
			inFlight.add(new InFlight<>(batch, encoders.submit(() -> encode(batch))));
		}

		/** Encodes a batch and hands its embeddings to the encoder (on an encoding thread). */
		private T encode(Batch b) {
			int n = b.count;
			ByteBuffer pixels = b.bytes.duplicate().order(ByteOrder.nativeOrder());
			pixels.clear().limit(n * planeLength * Float.BYTES);
			try (NDManager scope = model.newScope()) {
				return encoder.encode(model.encodeImages(scope.create(pixels, new Shape(n, 3, size, size), DataType.FLOAT32)));
			}
		}

		/** Delivers the rows of the oldest batch in flight and reports progress; returns whether to stop. */
		private boolean deliver() {
			InFlight<T> oldest = inFlight.poll();
			T encoded = Tasks.result(oldest.encoded, "Encoding");
			Batch b = oldest.batch;
			for (int r = 0; r < b.count; r++) {
				Plane plane = b.planes[r];
				b.planes[r] = null;
				if (plane.group() != lastGroup) {
					images++;
					lastGroup = plane.group();
				}
				done++;
				sink.accept(plane, encoded, r);
			}
			b.count = 0;
			free.push(b);
			progress.progress(done, total);
			return progress.isCancelled();
		}
	}

	/** Options of an {@link EncodingPipeline}. */
	public static final class Builder {
		private final ClipModel model;
		private int batchSize = DEFAULT_BATCH_SIZE;
		private int parallelBatches;
		private int reportLines = DEFAULT_REPORT_LINES;
		private boolean mergeChannels, failWhenNothingRead = true;
		private ProgressListener progress = ProgressListener.NONE;

		private Builder(ClipModel model) {
			this.model = Objects.requireNonNull(model, "model");
		}

		/**
		 * Whether a multichannel image gives one plane per (slice, frame) for the composite of its channels, rather
		 * than one per channel (default false).
		 */
		public Builder mergeChannels(boolean value) {
			mergeChannels = value;
			return this;
		}

		/**
		 * Planes encoded together (default {@value EncodingPipeline#DEFAULT_BATCH_SIZE}). Memory grows with it: one
		 * batch holds {@code 3 x size x size} floats per plane in native memory and the model's activations on the
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

		/**
		 * Whether a run in which every file was skipped fails (default true); false for callers that have other
		 * rows, as an index update keeping the unchanged files' rows.
		 */
		public Builder failWhenNothingRead(boolean value) {
			failWhenNothingRead = value;
			return this;
		}

		/** Number of skip reasons the summary keeps (default {@value EncodingPipeline#DEFAULT_REPORT_LINES}). */
		public Builder reportLines(int n) {
			if (n < 0) throw new IllegalArgumentException("reportLines must be >= 0, was " + n);
			reportLines = n;
			return this;
		}

		public EncodingPipeline build() {
			return new EncodingPipeline(this);
		}
	}
}
