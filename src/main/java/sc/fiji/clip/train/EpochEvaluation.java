package sc.fiji.clip.train;

import java.nio.file.Path;
import sc.fiji.clip.eval.Evaluation;
import sc.fiji.clip.eval.Evaluator;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelledFolder;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code train --eval DIR}: the evaluation of {@code fiji-clip evaluate} (zero-shot, by the folder's classes and the
 * model's templates) run on the weights being trained. The folder is scanned once, before the first step, so that a
 * folder that cannot be evaluated stops the training before any work.
 */
final class EpochEvaluation {

	private final LabelledFolder folder;
	private final LabelSet classes;

	private EpochEvaluation(LabelledFolder folder) {
		this.folder = folder;
		this.classes = LabelSet.of(folder.classNames());
	}

	/** The evaluation the options ask for, or null; {@code listener} hears what the scan found. */
	static EpochEvaluation of(TrainingOptions options, TrainingListener listener) {
		if (options.eval() == null) return null;
		LabelledFolder folder = LabelledFolder.scan(Path.of(options.eval()), options.valLabels());
		listener.message("Evaluating on " + folder.folder() + " (" + folder.layout() + ", classes " + String.join(", ",
			folder.classNames()) + ") after each epoch that writes the checkpoint.");
		if (!folder.skipped().isEmpty()) listener.message("Evaluation: " + String.join("; ", folder.skipped()));
		return new EpochEvaluation(folder);
	}

	/** Zero-shot accuracy of {@code model} as its weights are now. */
	double accuracy(ClipModel model) {
		try (ZeroShotClassifier classifier = ZeroShotClassifier.create(model, classes)) {
			Evaluation e = Evaluator.evaluate(classifier, folder, null, ProgressListener.NONE);
			return e.confusion().accuracy();
		}
	}
}
