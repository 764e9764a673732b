package sc.fiji.clip.fewshot;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.function.Consumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * The classifier a labelling run uses, by one rule for the command line, Fiji's commands and macros: an examples
 * folder gives a few-shot classifier of its classes; else labels give zero-shot labelling; else the few-shot
 * classifier kept in the model file ({@link SavedAdapter}); else the run is refused with a message saying what to give.
 */
public final class Scorers {

	private Scorers() {}

	/**
	 * Opens the classifier for a run; {@code log} hears one line saying which and what was chosen.
	 *
	 * @param modelFile the file {@code model} was loaded from, searched for a kept classifier (may be null)
	 * @param labels the labels, or null
	 * @param examples a folder of class folders, or null
	 * @throws ClipException if labels and examples disagree, or neither is given and the model keeps no classifier
	 */
	public static ImageScorer open(ClipModel model, Path modelFile, LabelSet labels, CaptionTemplates templates,
		Path examples, FewShotMethod method, ProgressListener progress, Consumer<String> log)
	{
		if (examples != null) {
			ExampleSet set = ExampleSet.read(model, examples, progress);
			if (labels != null && !new HashSet<>(labels.labels()).equals(new HashSet<>(set.classes().labels()))) {
				throw new ClipException("The labels (" + String.join(", ", labels.labels()) + ") are not the classes of "
					+ "the examples folder " + examples + " (" + String.join(", ", set.classes().labels()) + "). With "
					+ "examples the class folders name the labels: leave the labels out.");
			}
			if (!set.skipped().isEmpty()) log.accept("examples skipped: " + String.join("; ", set.skipped()));
			ImageScorer scorer = (method == null ? FewShotMethod.DEFAULT : method).fit(model, set, templates);
			log.accept("few-shot: " + FewShotMethod.describe(scorer));
			return scorer;
		}
		if (labels != null) return ZeroShotClassifier.create(model, labels, templates);
		ImageScorer kept = modelFile == null ? null : SavedAdapter.load(model, modelFile);
		if (kept == null) {
			throw new ClipException("No labels: give the labels (comma-separated, or a file with one per line) or an "
				+ "examples folder with one subfolder of images per class" + (modelFile == null ? "" : "; "
				+ modelFile + " keeps no few-shot classifier (fiji-clip adapt makes one)") + ".");
		}
		log.accept("few-shot, kept in " + modelFile.getFileName() + ": " + SavedAdapter.describe(modelFile));
		return kept;
	}
}
