package sc.fiji.clip.fewshot;

import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/** How labelled examples are used: Tip-Adapter's cache (no training) or a linear probe. */
public enum FewShotMethod {

	/** {@link CacheClassifier}: text logits plus the similarity to the examples; weights by leave-one-out. */
	CACHE,
	/** {@link LinearProbe}: logistic regression on the embeddings, started from the text; pull by cross-validation. */
	PROBE;

	/**
	 * The default: the probe, as accurate as the cache at 1 example per class and 5-16 points better from 4 on
	 * (bench/results.md, section few-shot transfer), for 1-2 s more.
	 */
	public static final FewShotMethod DEFAULT = PROBE;

	/** The name used on the command line, in macros and in model files. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The method named {@code id} ({@code cache} or {@code probe}, any case). */
	public static FewShotMethod of(String id) {
		for (FewShotMethod m : values()) if (m.id().equalsIgnoreCase(id.strip())) return m;
		throw new ClipException("Unknown few-shot method '" + id + "'. Use cache (no training; best with few examples "
			+ "per class) or probe (logistic regression; for more examples).");
	}

	/** A classifier for the examples' classes, with the class texts put into {@code templates} (null: the model's). */
	public ImageScorer fit(ClipModel model, ExampleSet examples, CaptionTemplates templates) {
		if (this == CACHE) return CacheClassifier.fit(model, examples, templates);
		try (ZeroShotClassifier text = ZeroShotClassifier.create(model, examples.classes(), templates)) {
			return LinearProbeFit.fit(model, examples, text.textEmbeddingRows());
		}
	}

	/** What a fitted classifier chose, for a log line. */
	public static String describe(ImageScorer scorer) {
		if (scorer instanceof CacheClassifier) {
			CacheClassifier c = (CacheClassifier) scorer;
			return "cache of " + c.examples().describe() + ", " + c.weights().describe();
		}
		if (scorer instanceof LinearProbe) {
			LinearProbe p = (LinearProbe) scorer;
			return String.format(Locale.ROOT, "linear probe on %d classes, lambda %s%s", p.labels().size(), p.lambda(),
				Double.isNaN(p.accuracy()) ? " (default: too few examples to cross-validate)"
					: String.format(Locale.ROOT, " (cross-validated accuracy %.1f %%)", 100 * p.accuracy()));
		}
		return "zero-shot on " + scorer.labels().size() + " labels";
	}
}
