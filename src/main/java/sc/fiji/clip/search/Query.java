package sc.fiji.clip.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageReader;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.model.ClipModel;

/**
 * A search query: texts and example images, each wanted (+) or unwanted (−), as rclip's
 * {@code "mitosis" + ./example.tif - "debris"}.
 * <p>
 * The rule: every term is embedded and L2-normalised (a text as it is written; an image file as the mean of its
 * planes' embeddings, normalised again), the query is the sum of the wanted terms minus the sum of the unwanted ones,
 * and that sum is normalised. Every term weighs the same, so a text and an image count equally however long the text.
 */
public final class Query {

	/** A term of a query. */
	static final class Term {
		final String text;
		final LabelInput image;
		final int sign;

		Term(String text, LabelInput image, int sign) {
			this.text = text;
			this.image = image;
			this.sign = sign;
		}

		@Override
		public String toString() {
			return (sign > 0 ? "+" : "-") + (text != null ? "\"" + text + "\"" : image.toString());
		}
	}

	private final List<Term> terms = new ArrayList<>();

	/** Adds a wanted text. */
	public Query text(String text) {
		terms.add(new Term(checkText(text), null, 1));
		return this;
	}

	/** Adds a wanted example image (a file; every plane counts). */
	public Query image(Path file) {
		terms.add(new Term(null, LabelInput.of(checkImage(file)), 1));
		return this;
	}

	/** Adds a wanted example held in memory (every plane counts): an open image, or a crop of one. */
	public Query image(LabelInput image) {
		terms.add(new Term(null, image, 1));
		return this;
	}

	/** Adds an unwanted text. */
	public Query minusText(String text) {
		terms.add(new Term(checkText(text), null, -1));
		return this;
	}

	/** Adds an unwanted example image. */
	public Query minusImage(Path file) {
		terms.add(new Term(null, LabelInput.of(checkImage(file)), -1));
		return this;
	}

	/** Adds an unwanted term: an image if {@code term} names an existing image file, else a text. */
	public Query minus(String term) {
		Path p = Path.of(term);
		if (ImageReader.isImageName(term) && Files.isRegularFile(p)) return minusImage(p);
		return minusText(term);
	}

	/** Whether the query has no wanted term. */
	public boolean isEmpty() {
		for (Term t : terms) if (t.sign > 0) return false;
		return true;
	}

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		for (Term t : terms) sb.append(sb.length() == 0 ? "" : " ").append(t);
		return sb.toString();
	}

	private static String checkText(String text) {
		if (text == null || text.isBlank()) throw new ClipException("A search text is empty: give words to search for.");
		return text.strip();
	}

	private static Path checkImage(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new ClipException("The query image " + file + " does not exist. Give an image file.");
		}
		if (!ImageReader.isImageName(file.getFileName().toString())) {
			throw new ClipException("The query image " + file + " is not an image file: give a ." + String.join(", .",
				ImageReader.EXTENSIONS) + " file.");
		}
		return file;
	}

	/**
	 * The query's unit vector under {@code model}.
	 *
	 * @throws ClipException if it has no wanted term, a query image cannot be read, or the terms cancel out
	 */
	public float[] vector(ClipModel model) {
		if (isEmpty()) throw new ClipException("A search needs something to find: give --text or --image.");
		int dim = model.config().projection_dim;
		double[] sum = new double[dim];
		List<String> texts = new ArrayList<>();
		List<Integer> textSigns = new ArrayList<>();
		for (Term t : terms) {
			if (t.text != null) {
				texts.add(t.text);
				textSigns.add(t.sign);
			} else {
				add(sum, imageVector(model, t.image), t.sign);
			}
		}
		if (!texts.isEmpty()) {
			float[][] embedded = model.embedTexts(texts);
			for (int i = 0; i < embedded.length; i++) add(sum, embedded[i], textSigns.get(i));
		}
		float[] q = unit(sum);
		if (q == null) throw new ClipException("The search terms cancel out (" + this + "): give fewer unwanted terms.");
		return q;
	}

	/** The normalised mean of the embeddings of every plane of {@code file}. */
	static float[] imageVector(ClipModel model, Path file) {
		return imageVector(model, LabelInput.of(file));
	}

	/** The normalised mean of the embeddings of every plane of {@code image}. */
	static float[] imageVector(ClipModel model, LabelInput image) {
		int dim = model.config().projection_dim;
		double[] sum = new double[dim];
		EncodingPipeline.builder(model).build().run(List.of(image), e -> e.toFloatArray(),
			(plane, batch, row) -> {
				for (int i = 0; i < dim; i++) sum[i] += batch[row * dim + i];
			});
		float[] v = unit(sum);
		if (v == null) throw new ClipException("The query image " + image + " gives no embedding.");
		return v;
	}

	private static void add(double[] sum, float[] v, int sign) {
		for (int i = 0; i < sum.length; i++) sum[i] += sign * v[i];
	}

	/** {@code v / |v|}, or null when |v| is next to nothing. */
	private static float[] unit(double[] v) {
		double norm = 0;
		for (double x : v) norm += x * x;
		norm = Math.sqrt(norm);
		if (!(norm > 1e-6)) return null;
		float[] u = new float[v.length];
		for (int i = 0; i < v.length; i++) u[i] = (float) (v[i] / norm);
		return u;
	}
}
