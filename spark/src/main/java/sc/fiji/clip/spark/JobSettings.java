package sc.fiji.clip.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every task of a job needs, sent from the driver to the executors: the model, what to write for each plane
 * (top-k labels and scores, the embedding, or both), and how to encode. Immutable and serializable.
 */
public final class JobSettings implements Serializable {

	private static final long serialVersionUID = 1L;

	final String model;
	final List<String> labels;
	final List<String> templates;
	final int topK;
	final boolean writeLabels;
	final boolean writeEmbeddings;
	final boolean mergeChannels;
	final int batchSize;
	final String device;
	final int threads;

	private JobSettings(Builder b) {
		model = Objects.requireNonNull(b.model, "model");
		labels = b.labels == null ? null : List.copyOf(b.labels);
		templates = List.copyOf(b.templates);
		topK = b.topK;
		writeLabels = b.writeLabels;
		writeEmbeddings = b.writeEmbeddings;
		mergeChannels = b.mergeChannels;
		batchSize = b.batchSize;
		device = b.device;
		threads = b.threads;
	}

	/** Settings for the model at {@code model} (a local path or a Hadoop URI that every executor can read). */
	public static Builder builder(String model) {
		return new Builder(model);
	}

	/** The model file or folder. */
	public String model() {
		return model;
	}

	/** Whether rows carry top-k labels and scores. */
	public boolean writesLabels() {
		return writeLabels;
	}

	/** Whether rows carry the plane's embedding. */
	public boolean writesEmbeddings() {
		return writeEmbeddings;
	}

	/** What a rerun must agree on for the outputs already written to stay valid. */
	String identity() {
		return String.join("\u0000", model, String.valueOf(labels), String.valueOf(templates), String.valueOf(topK),
			String.valueOf(writeLabels), String.valueOf(writeEmbeddings), String.valueOf(mergeChannels));
	}

	/** Builds {@link JobSettings}; defaults: labels only, top-1, batches of 64, device auto, one thread per task. */
	public static final class Builder {
		private final String model;
		private List<String> labels;
		private final List<String> templates = new ArrayList<>();
		private int topK = 1;
		private boolean writeLabels = true;
		private boolean writeEmbeddings;
		private boolean mergeChannels;
		private int batchSize = 64;
		private String device = "auto";
		private int threads = 1;

		private Builder(String model) {
			this.model = model;
		}

		/** The labels; null: the classifier the model file keeps ({@code fiji-clip adapt}). */
		public Builder labels(List<String> value) {
			labels = value;
			return this;
		}

		/** Caption templates ({@code {}} is the label); none: the model's own, else the default. */
		public Builder templates(List<String> value) {
			templates.clear();
			templates.addAll(value);
			return this;
		}

		public Builder topK(int k) {
			topK = k;
			return this;
		}

		/** What rows carry: labels and scores, embeddings, or both. */
		public Builder write(boolean labelsAndScores, boolean embeddings) {
			writeLabels = labelsAndScores;
			writeEmbeddings = embeddings;
			return this;
		}

		public Builder mergeChannels(boolean value) {
			mergeChannels = value;
			return this;
		}

		public Builder batchSize(int n) {
			batchSize = n;
			return this;
		}

		/** auto, cpu or gpu, resolved on each executor. */
		public Builder device(String value) {
			device = value;
			return this;
		}

		/** libtorch threads per executor JVM. */
		public Builder threads(int n) {
			threads = n;
			return this;
		}

		public JobSettings build() {
			return new JobSettings(this);
		}
	}
}
