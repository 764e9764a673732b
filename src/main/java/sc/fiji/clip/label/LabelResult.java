package sc.fiji.clip.label;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The labels of one image plane: where it comes from, its top labels with their probabilities, and optionally the
 * probability of every label and the plane's image embedding.
 * <p>
 * Positions are 1-based as in ImageJ. A plain 2D image is {@code c = z = t = 1}. When the channels of a multichannel
 * image are merged into the composite the user sees, the row stands for all channels and {@link #channel()} is 0.
 */
public final class LabelResult {

	private final String image;
	private final int c, z, t;
	private final List<String> topLabels;
	private final float[] topScores;
	private final float[] allScores;
	private final float[] embedding;

	LabelResult(String image, int c, int z, int t, String[] topLabels, float[] topScores, float[] allScores,
		float[] embedding)
	{
		this.image = image;
		this.c = c;
		this.z = z;
		this.t = t;
		this.topLabels = Collections.unmodifiableList(Arrays.asList(topLabels));
		this.topScores = topScores;
		this.allScores = allScores;
		this.embedding = embedding;
	}

	/** The image: its path relative to the folder given (with {@code /}), the file name, or the image's title. */
	public String image() {
		return image;
	}

	/** Channel, 1-based; 0 when the channels were merged into one composite plane. */
	public int channel() {
		return c;
	}

	/** Slice (z), 1-based. */
	public int slice() {
		return z;
	}

	/** Frame (t), 1-based. */
	public int frame() {
		return t;
	}

	/** The most probable label. */
	public String label() {
		return topLabels.get(0);
	}

	/** The probability of the most probable label. */
	public float score() {
		return topScores[0];
	}

	/** The top labels, most probable first (ties in label order). */
	public List<String> topLabels() {
		return topLabels;
	}

	/** Number of top labels kept. */
	public int topK() {
		return topScores.length;
	}

	/** The label at {@code rank} (0 = most probable). */
	public String label(int rank) {
		return topLabels.get(rank);
	}

	/** The probability of the label at {@code rank} (0 = most probable). */
	public float score(int rank) {
		return topScores[rank];
	}

	/** Whether the probability of every label was kept. */
	public boolean hasAllScores() {
		return allScores != null;
	}

	/**
	 * The probability of the label at {@code labelIndex} in the label set's order.
	 *
	 * @throws IllegalStateException if all scores were not asked for
	 */
	public float probability(int labelIndex) {
		if (allScores == null) throw new IllegalStateException("all scores were not asked for");
		return allScores[labelIndex];
	}

	/** The probability of every label in the label set's order (a copy), or null if not asked for. */
	public float[] allScores() {
		return allScores == null ? null : allScores.clone();
	}

	/** The plane's L2-normalised image embedding (a copy), or null if not asked for. */
	public float[] embedding() {
		return embedding == null ? null : embedding.clone();
	}

	@Override
	public String toString() {
		return image + " [c=" + c + ", z=" + z + ", t=" + t + "]: " + label() + " (" + score() + ")";
	}
}
