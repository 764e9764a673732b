package sc.fiji.clip.eval;

import java.util.List;
import java.util.Locale;

/** What {@link Evaluator} measured on a labelled folder: the confusion matrix, and retrieval recall@k. */
public final class Evaluation {

	private final ConfusionMatrix confusion;
	private final double[] imageToText, textToImage;
	private final String classifier;
	private final List<String> skipped;
	private final double seconds;

	Evaluation(ConfusionMatrix confusion, double[] imageToText, double[] textToImage, String classifier,
		List<String> skipped, double seconds)
	{
		this.confusion = confusion;
		this.imageToText = imageToText;
		this.textToImage = textToImage;
		this.classifier = classifier;
		this.skipped = List.copyOf(skipped);
		this.seconds = seconds;
	}

	public ConfusionMatrix confusion() {
		return confusion;
	}

	/** Image-to-text recall at {@link RetrievalRecall#KS}. */
	public double[] imageToText() {
		return imageToText.clone();
	}

	/** Text-to-image recall at {@link RetrievalRecall#KS}. */
	public double[] textToImage() {
		return textToImage.clone();
	}

	/** How the images were classified (zero-shot, or the few-shot method and what it chose). */
	public String classifier() {
		return classifier;
	}

	/** The first reasons of images left out. */
	public List<String> skipped() {
		return skipped;
	}

	public double seconds() {
		return seconds;
	}

	/** The headline figures as (name, value) rows, in the order of the summary table. */
	public Object[][] summaryRows() {
		Object[][] rows = new Object[4 + 2 * RetrievalRecall.KS.length][];
		rows[0] = new Object[] { "images", (double) confusion.total() };
		rows[1] = new Object[] { "classes", (double) confusion.classes().size() };
		rows[2] = new Object[] { "accuracy", confusion.accuracy() };
		rows[3] = new Object[] { "macro F1", confusion.macroF1() };
		for (int k = 0; k < RetrievalRecall.KS.length; k++) {
			rows[4 + k] = new Object[] { "image->text recall@" + RetrievalRecall.KS[k], imageToText[k] };
			rows[4 + RetrievalRecall.KS.length + k] = new Object[] { "text->image recall@" + RetrievalRecall.KS[k],
				textToImage[k] };
		}
		return rows;
	}

	/** Lines for a terminal or log. */
	public String describe() {
		StringBuilder sb = new StringBuilder();
		sb.append(String.format(Locale.ROOT, "%d images, %d classes (%s): accuracy %.1f %%, macro F1 %.3f%n",
			confusion.total(), confusion.classes().size(), classifier, 100 * confusion.accuracy(), confusion.macroF1()));
		sb.append("recall@").append(join(RetrievalRecall.KS)).append(": image->text ").append(percent(imageToText))
			.append(", text->image ").append(percent(textToImage));
		return sb.toString();
	}

	private static String join(int[] ks) {
		StringBuilder sb = new StringBuilder();
		for (int k : ks) sb.append(sb.length() == 0 ? "" : "/").append(k);
		return sb.toString();
	}

	private static String percent(double[] v) {
		StringBuilder sb = new StringBuilder();
		for (double x : v) sb.append(sb.length() == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.1f", 100 * x));
		return sb.append(" %").toString();
	}
}
