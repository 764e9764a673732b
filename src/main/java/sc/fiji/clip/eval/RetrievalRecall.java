package sc.fiji.clip.eval;


/**
 * Recall@k of CLIP's two retrieval directions on a labelled set, from normalised embeddings.
 * <ul>
 * <li>image to text: the fraction of images whose class text is among the {@code k} texts most similar to the
 * image (for class names this is top-k zero-shot accuracy);</li>
 * <li>text to image: the fraction of class texts that find an image of their class among the {@code k} images most
 * similar to the text.</li>
 * </ul>
 * Equal similarities rank the lower index first, as the labeller does.
 */
public final class RetrievalRecall {

	/** The k reported. */
	public static final int[] KS = { 1, 5, 10 };

	private RetrievalRecall() {}

	/** Image-to-text recall at each of {@code ks}. */
	public static double[] imageToText(float[][] images, int[] classOf, float[][] texts, int[] ks) {
		long[] hits = new long[ks.length];
		double[] s = new double[texts.length];
		for (int i = 0; i < images.length; i++) {
			for (int t = 0; t < texts.length; t++) s[t] = dot(images[i], texts[t]);
			int rank = rank(s, classOf[i]);
			for (int k = 0; k < ks.length; k++) if (rank < ks[k]) hits[k]++;
		}
		return fractions(hits, images.length);
	}

	/** Text-to-image recall at each of {@code ks}; texts whose class has no image are left out. */
	public static double[] textToImage(float[][] images, int[] classOf, float[][] texts, int[] ks) {
		long[] hits = new long[ks.length];
		int queries = 0;
		double[] s = new double[images.length];
		for (int t = 0; t < texts.length; t++) {
			for (int i = 0; i < images.length; i++) s[i] = dot(images[i], texts[t]);
			int first = Integer.MAX_VALUE;
			for (int i = 0; i < images.length; i++) if (classOf[i] == t) first = Math.min(first, rank(s, i));
			if (first == Integer.MAX_VALUE) continue;
			queries++;
			for (int k = 0; k < ks.length; k++) if (first < ks[k]) hits[k]++;
		}
		return fractions(hits, queries);
	}

	/** Position of {@code s[target]} when {@code s} is sorted from high to low, ties by lower index. */
	static int rank(double[] s, int target) {
		int rank = 0;
		for (int j = 0; j < s.length; j++) if (s[j] > s[target] || s[j] == s[target] && j < target) rank++;
		return rank;
	}

	private static double[] fractions(long[] hits, long n) {
		double[] r = new double[hits.length];
		for (int k = 0; k < r.length; k++) r[k] = n == 0 ? Double.NaN : hits[k] / (double) n;
		return r;
	}

	private static double dot(float[] a, float[] b) {
		double s = 0;
		for (int k = 0; k < a.length; k++) s += a[k] * b[k];
		return s;
	}
}
