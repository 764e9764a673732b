package sc.fiji.clip.eval;

import java.util.List;

/**
 * Counts of (true class, predicted class) over a labelled set, with accuracy and per-class precision, recall and F1.
 * Rows are the true classes, columns the predictions, both in the order of {@link #classes()}.
 */
public final class ConfusionMatrix {

	private final List<String> classes;
	private final long[][] counts;

	/** An empty matrix over {@code classes}. */
	public ConfusionMatrix(List<String> classes) {
		this.classes = List.copyOf(classes);
		counts = new long[classes.size()][classes.size()];
	}

	/** Counts one image of class {@code truth} predicted as {@code predicted}. */
	public void add(int truth, int predicted) {
		counts[truth][predicted]++;
	}

	public List<String> classes() {
		return classes;
	}

	/** Images of class {@code truth} predicted as {@code predicted}. */
	public long count(int truth, int predicted) {
		return counts[truth][predicted];
	}

	/** All images counted. */
	public long total() {
		long n = 0;
		for (long[] row : counts) for (long v : row) n += v;
		return n;
	}

	/** Images of class {@code c}. */
	public long support(int c) {
		long n = 0;
		for (long v : counts[c]) n += v;
		return n;
	}

	/** Images predicted as {@code c}. */
	public long predicted(int c) {
		long n = 0;
		for (long[] row : counts) n += row[c];
		return n;
	}

	/** Fraction of images whose prediction is their class; NaN for no images. */
	public double accuracy() {
		long right = 0;
		for (int c = 0; c < counts.length; c++) right += counts[c][c];
		return ratio(right, total());
	}

	/** Of the images predicted as {@code c}, the fraction that are {@code c}; NaN when none was predicted so. */
	public double precision(int c) {
		return ratio(counts[c][c], predicted(c));
	}

	/** Of the images of class {@code c}, the fraction predicted as {@code c}; NaN when the class has none. */
	public double recall(int c) {
		return ratio(counts[c][c], support(c));
	}

	/** The harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined. */
	public double f1(int c) {
		double p = precision(c), r = recall(c);
		if (Double.isNaN(p) || Double.isNaN(r)) return Double.NaN;
		return p + r == 0 ? 0 : 2 * p * r / (p + r);
	}

	/** The mean of the classes' F1 that are defined. */
	public double macroF1() {
		double sum = 0;
		int n = 0;
		for (int c = 0; c < counts.length; c++) {
			double f = f1(c);
			if (!Double.isNaN(f)) {
				sum += f;
				n++;
			}
		}
		return n == 0 ? Double.NaN : sum / n;
	}

	private static double ratio(long a, long b) {
		return b == 0 ? Double.NaN : a / (double) b;
	}
}
