package sc.fiji.clip.label;

import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipModel;

/**
 * Labels images: every plane of open images, image files and folders gets the most probable labels of an
 * {@link ImageScorer} (zero-shot, or few-shot with examples), delivered as {@link LabelResult} rows to a consumer as
 * soon as its batch is done.
 * <p>
 * The planes go through the {@link EncodingPipeline} (streamed, batched, encoded side by side, skips reported,
 * progress and cancel); each batch's embeddings are scored in the batch's scope. Folders are searched recursively
 * and their files labelled in sorted order; the run fails only if nothing at all could be labelled.
 * <p>
 * Not thread-safe; a labeller may run several times.
 */
public final class ZeroShotLabeller {

	/** Planes encoded together unless set otherwise. */
	public static final int DEFAULT_BATCH_SIZE = EncodingPipeline.DEFAULT_BATCH_SIZE;

	/** Skip reasons kept in the summary unless set otherwise. */
	public static final int DEFAULT_REPORT_LINES = EncodingPipeline.DEFAULT_REPORT_LINES;

	private final ImageScorer classifier;
	private final EncodingPipeline pipeline;
	private final int requestedTopK, topK, dimension;
	private final boolean allScores, embeddings;

	private ZeroShotLabeller(Builder b) {
		classifier = b.classifier;
		pipeline = b.pipeline.build();
		requestedTopK = b.topK;
		topK = Math.min(b.topK, classifier.labels().size());
		dimension = classifier.model().config().projection_dim;
		allScores = b.allScores;
		embeddings = b.embeddings;
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
		return pipeline.mergeChannels();
	}

	/** Planes per batch. */
	public int batchSize() {
		return pipeline.batchSize();
	}

	/** See {@link EncodingPipeline#defaultParallelBatches}. */
	public static int defaultParallelBatches(ClipModel model) {
		return EncodingPipeline.defaultParallelBatches(model);
	}

	/** The classifier whose labels are used. */
	public ImageScorer classifier() {
		return classifier;
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
		Objects.requireNonNull(rows, "rows");
		return pipeline.run(inputs, this::encode, (plane, batch, row) -> rows.accept(row(plane, batch, row)));
	}

	/**
	 * Labels ImgLib2 planes of the image {@code name} ({@link ArgbPlane}: ARGB views, or {@link ArgbPlane#grey} of
	 * real-valued ones), as an open image of the same pixels is labelled.
	 */
	public LabelSummary label(String name, List<ArgbPlane> planes, Consumer<? super LabelResult> rows) {
		Objects.requireNonNull(rows, "rows");
		return labelGroups(List.of(new ArgbPlanes(name, planes)), (plane, row) -> rows.accept(row));
	}

	/** Labels the planes of {@code groups} (tiles, regions), giving each plane and its row to {@code rows}. */
	public LabelSummary labelGroups(List<? extends PlaneGroup> groups, PlaneRows rows) {
		Objects.requireNonNull(rows, "rows");
		return pipeline.runGroups(groups, this::encode, (plane, batch, row) -> rows.accept(plane, row(plane, batch, row)));
	}

	/** Receives each labelled plane with its row. */
	public interface PlaneRows {
		void accept(Plane plane, LabelResult row);
	}

	/** What scoring a batch gave: label probabilities, and image embeddings if asked for, row by row. */
	private static final class Scored {
		final float[] probabilities, vectors;

		Scored(float[] probabilities, float[] vectors) {
			this.probabilities = probabilities;
			this.vectors = vectors;
		}
	}

	private Scored encode(NDArray encoded) {
		return new Scored(classifier.probabilities(encoded).toFloatArray(), embeddings ? encoded.toFloatArray() : null);
	}

	/** The row of {@code plane}, row {@code row} of its batch. */
	private LabelResult row(Plane plane, Scored s, int row) {
		int labelCount = classifier.labels().size();
		int offset = row * labelCount;
		int[] top = top(s.probabilities, offset, labelCount, topK);
		String[] labels = new String[top.length];
		float[] scores = new float[top.length];
		for (int k = 0; k < top.length; k++) {
			labels[k] = classifier.labels().get(top[k]);
			scores[k] = s.probabilities[offset + top[k]];
		}
		float[] all = allScores ? Arrays.copyOfRange(s.probabilities, offset, offset + labelCount) : null;
		float[] vector = s.vectors == null ? null : Arrays.copyOfRange(s.vectors, row * dimension, (row + 1) * dimension);
		return new LabelResult(plane.name(), plane.channel(), plane.slice(), plane.frame(), labels, scores, all, vector);
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

	/** Options of a {@link ZeroShotLabeller}; the encoding options are those of {@link EncodingPipeline.Builder}. */
	public static final class Builder {
		private final ImageScorer classifier;
		private final EncodingPipeline.Builder pipeline;
		private int topK = 1;
		private boolean allScores, embeddings;

		private Builder(ImageScorer classifier) {
			this.classifier = Objects.requireNonNull(classifier, "classifier");
			this.pipeline = EncodingPipeline.builder(classifier.model());
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

		/** See {@link EncodingPipeline.Builder#parallelBatches}. */
		public Builder parallelBatches(int n) {
			pipeline.parallelBatches(n);
			return this;
		}

		/** Hears progress and may cancel (default: none). */
		public Builder progress(ProgressListener listener) {
			pipeline.progress(listener);
			return this;
		}

		/** See {@link EncodingPipeline.Builder#failWhenNothingRead}: false lets a run of unreadable files end empty. */
		public Builder failWhenNothingRead(boolean value) {
			pipeline.failWhenNothingRead(value);
			return this;
		}

		/** See {@link EncodingPipeline.Builder#reportLines}. */
		public Builder reportLines(int n) {
			pipeline.reportLines(n);
			return this;
		}

		public ZeroShotLabeller build() {
			return new ZeroShotLabeller(this);
		}
	}
}
