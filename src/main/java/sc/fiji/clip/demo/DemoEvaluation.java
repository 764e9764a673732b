package sc.fiji.clip.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.data.ImageCaptions;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.imagej.ImageFiles;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * Zero-shot evaluation of a model trained on {@link ShapesDataset}: each held-back image is labelled by colour
 * (templates "a {} circle", "a {} square", ... ensembled as CLIP does) and by shape (templates "a red {}", ...),
 * and compared with its caption. One-colour swatches (captioned with a colour word alone) are labelled by colour only.
 */
public final class DemoEvaluation {

	private final List<String> names = new ArrayList<>(), truth = new ArrayList<>(), colors = new ArrayList<>(),
		shapes = new ArrayList<>();
	private final List<Float> colorScores = new ArrayList<>(), shapeScores = new ArrayList<>();
	private int colorCorrect, shapeCorrect, swatches, swatchCorrect;

	private DemoEvaluation() {}

	/** Labels every image of {@code heldBack} (a {@link ShapesDataset} split). */
	public static DemoEvaluation run(ClipModel model, CaptionDataset heldBack) {
		DemoEvaluation e = new DemoEvaluation();
		ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		int size = model.imageSize(), per = 3 * size * size, batch = 128;
		List<ImageCaptions> entries = heldBack.entries();
		try (ZeroShotClassifier byColor = ZeroShotClassifier.create(model, LabelSet.of(ShapesDataset.COLORS),
			templates(ShapesDataset.SHAPES, shape -> "a {} " + shape));
			ZeroShotClassifier byShape = ZeroShotClassifier.create(model, LabelSet.of(ShapesDataset.SHAPES),
				templates(ShapesDataset.COLORS, color -> "a " + color + " {}")))
		{
			for (int from = 0; from < entries.size(); from += batch) {
				int n = Math.min(batch, entries.size() - from);
				float[] pixels = new float[n * per];
				for (int i = 0; i < n; i++) processor.processInto(ImageFiles.readRgb(entries.get(from + i).path()), pixels, i * per);
				try (NDManager b = model.newScope()) {
					NDArray images = model.encodeImages(b.create(pixels, new Shape(n, 3, size, size)));
					float[][] pc = ClipModel.rows(byColor.probabilities(images));
					float[][] ps = ClipModel.rows(byShape.probabilities(images));
					for (int i = 0; i < n; i++) e.add(entries.get(from + i), pc[i], ps[i]);
				}
			}
		}
		return e;
	}

	/** Templates naming the other attribute, e.g. "a {} circle", "a {} square", ... for colours. */
	private static CaptionTemplates templates(List<String> others, java.util.function.Function<String, String> form) {
		List<String> t = new ArrayList<>();
		for (String other : others) t.add(form.apply(other));
		return CaptionTemplates.of(t);
	}

	private void add(ImageCaptions entry, float[] colorProbabilities, float[] shapeProbabilities) {
		String caption = entry.captions().get(0);
		int c = argMax(colorProbabilities), s = argMax(shapeProbabilities);
		names.add(entry.path().getFileName().toString());
		truth.add(caption);
		colors.add(ShapesDataset.COLORS.get(c));
		shapes.add(ShapesDataset.SHAPES.get(s));
		colorScores.add(colorProbabilities[c]);
		shapeScores.add(shapeProbabilities[s]);
		if (ShapesDataset.isSwatch(caption)) {
			swatches++;
			if (caption.equals(ShapesDataset.COLORS.get(c))) swatchCorrect++;
			shapes.set(shapes.size() - 1, "-");
			return;
		}
		if (caption.contains(" " + ShapesDataset.COLORS.get(c) + " ")) colorCorrect++;
		if (caption.endsWith(" " + ShapesDataset.SHAPES.get(s))) shapeCorrect++;
	}

	private static int argMax(float[] p) {
		int best = 0;
		for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
		return best;
	}

	/** Number of images labelled, swatches included. */
	public int count() {
		return names.size();
	}

	/** Number of one-colour swatches among them (labelled by colour only). */
	public int swatchCount() {
		return swatches;
	}

	/** Colour accuracy on the shape images. */
	public double colorAccuracy() {
		return colorCorrect / (double) Math.max(1, count() - swatches);
	}

	/** Shape accuracy on the shape images. */
	public double shapeAccuracy() {
		return shapeCorrect / (double) Math.max(1, count() - swatches);
	}

	/** Colour accuracy on the swatches. */
	public double swatchAccuracy() {
		return swatchCorrect / (double) Math.max(1, swatches);
	}

	/** The first {@code rows} results as an aligned text table. */
	public String table(int rows) {
		StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%-28s %-20s %-16s %-16s%n", "image", "caption",
			"colour (p)", "shape (p)"));
		for (int i = 0; i < Math.min(rows, count()); i++) {
			t.append(String.format(Locale.ROOT, "%-28s %-20s %-16s %-16s%n", names.get(i), truth.get(i),
				colors.get(i) + String.format(Locale.ROOT, " (%.2f)", colorScores.get(i)),
				shapes.get(i).equals("-") ? "-" : shapes.get(i) + String.format(Locale.ROOT, " (%.2f)", shapeScores.get(i))));
		}
		return t.toString();
	}
}
