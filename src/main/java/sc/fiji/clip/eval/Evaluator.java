package sc.fiji.clip.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.SavedAdapter;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.label.LabelledFolder;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * Measures a classifier on a labelled folder ({@link LabelledFolder}: class folders, {@code DIR/<class name>/...}, or
 * a captioned folder and the class names its captions contain): every plane of every image is labelled by the same
 * batched labeller as {@code label} and counted in a {@link ConfusionMatrix}; the images' embeddings and the class
 * texts give {@link RetrievalRecall} in both directions. Unreadable images are skipped and reported; classes of the
 * folder the classifier does not know are refused before any work.
 */
public final class Evaluator {

	private Evaluator() {}

	/**
	 * The classifier an evaluation of {@code model} (loaded from {@code modelFile}) on {@code data} uses, by one rule
	 * for the command line and Fiji: few-shot with an examples folder, else the classifier the model file keeps, else
	 * zero-shot by {@code labels} or, with none, the names of {@code data}'s class folders.
	 */
	public static ImageScorer scorer(ClipModel model, Path modelFile, Path data, List<String> labels, Path examples,
		FewShotMethod method, ProgressListener progress, Consumer<String> log)
	{
		LabelSet classes = examples != null || SavedAdapter.present(modelFile) ? null
			: LabelSet.of(LabelledFolder.classNames(data, labels));
		return Scorers.open(model, modelFile, classes, null, examples, method, progress, log);
	}

	/**
	 * Evaluates {@code scorer} (zero-shot or few-shot) on {@code folder}, class folders or, with {@code labels},
	 * captioned; {@code templates} (null: the model's) make the class texts of the retrieval recall.
	 *
	 * @throws ClipException if the folder is not labelled as {@link LabelledFolder#scan(Path, List)} needs, names a
	 *             class the classifier lacks, or nothing can be read
	 */
	public static Evaluation evaluate(ImageScorer scorer, Path folder, List<String> labels, CaptionTemplates templates,
		ProgressListener progress)
	{
		return evaluate(scorer, LabelledFolder.scan(folder, labels), templates, progress);
	}

	/** As {@link #evaluate(ImageScorer, Path, List, CaptionTemplates, ProgressListener)} on a folder scanned before. */
	public static Evaluation evaluate(ImageScorer scorer, LabelledFolder data, CaptionTemplates templates,
		ProgressListener progress)
	{
		long start = System.nanoTime();
		Path folder = data.folder();
		List<String> classes = scorer.labels().labels();
		List<String> unknown = new ArrayList<>(data.classNames());
		unknown.removeAll(classes);
		if (!unknown.isEmpty()) {
			throw new ClipException("The class(es) " + String.join(", ", unknown) + " of " + folder + " are not "
				+ "among the classifier's labels (" + String.join(", ", classes) + "). Evaluate on classes named after "
				+ "the labels, or give those labels.");
		}
		ConfusionMatrix confusion = new ConfusionMatrix(classes);
		List<float[]> embeddings = new ArrayList<>();
		List<Integer> truths = new ArrayList<>();
		LabelSummary summary = data.label(scorer, classes, progress, "The evaluation on", (row, truth) -> {
			confusion.add(truth, classes.indexOf(row.label()));
			embeddings.add(row.embedding());
			truths.add(truth);
		});
		List<String> skipped = new ArrayList<>(data.skipped());
		skipped.addAll(summary.skipLines());
		float[][] images = embeddings.toArray(new float[0][]);
		int[] classOf = truths.stream().mapToInt(Integer::intValue).toArray();
		float[][] texts;
		try (ZeroShotClassifier text = ZeroShotClassifier.create(scorer.model(), scorer.labels(), templates)) {
			texts = text.textEmbeddingRows();
		}
		return new Evaluation(confusion, RetrievalRecall.imageToText(images, classOf, texts, RetrievalRecall.KS),
			RetrievalRecall.textToImage(images, classOf, texts, RetrievalRecall.KS), FewShotMethod.describe(scorer),
			skipped, (System.nanoTime() - start) / 1e9);
	}
}
