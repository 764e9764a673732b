package sc.fiji.clip.color;

/**
 * One recorded state of one colour: the step (0 = the start, before any update), the colour's index in the final
 * ranking (0 = best), the colour (an N×N image's mean colour) and its cosine similarity to the prompt.
 */
public final class ColorStep {

	private final int step, index;
	private final Rgb color;
	private final double similarity;

	public ColorStep(int step, int index, Rgb color, double similarity) {
		this.step = step;
		this.index = index;
		this.color = color;
		this.similarity = similarity;
	}

	public int step() {
		return step;
	}

	/** Index of the colour in the result's ranking (0 for a single colour). */
	public int index() {
		return index;
	}

	public Rgb color() {
		return color;
	}

	public double similarity() {
		return similarity;
	}

	@Override
	public String toString() {
		return "step " + step + (index > 0 ? " [" + index + "]" : "") + " " + color.hex() + " "
			+ String.format(java.util.Locale.ROOT, "%.4f", similarity);
	}
}
