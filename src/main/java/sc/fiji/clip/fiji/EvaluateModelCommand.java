package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.eval.ConfusionImage;
import sc.fiji.clip.eval.ConfusionMatrix;
import sc.fiji.clip.eval.Evaluation;
import sc.fiji.clip.eval.EvaluationFiles;
import sc.fiji.clip.eval.Evaluator;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.ImageScorer;

/**
 * Plugins › CLIP › Evaluate Model…: a model's accuracy on a labelled folder ({@code data/<class>/...}), zero-shot
 * by the class names, few-shot with an examples folder, or with the classifier an adapted model keeps. Shows the
 * confusion matrix as an image and the figures in the {@value #TABLE} table (one row per class, then the summary);
 * with an output folder also writes the command line's files there. A thin shell over {@link Evaluator}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Evaluate Model...")
public class EvaluateModelCommand extends ContextCommand {

	static final String TABLE = "CLIP Evaluation";

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Labelled images (one subfolder per class, or captioned)", style = "directory")
	private File data;

	@Parameter(label = "Classes of a captioned folder (comma-separated; empty for class folders)", required = false,
		persist = false)
	private String labels = "";

	@Parameter(label = "Examples folder (optional: few-shot)", style = "directory", required = false)
	private File examples;

	@Parameter(label = "Method (with examples)", choices = { "cache", "probe" })
	private String method = FewShotMethod.DEFAULT.id();

	@Parameter(label = "Output folder (optional)", style = "directory", required = false)
	private File output;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		FewShotMethod fewShot = FewShotMethod.of(method);
		boolean withExamples = examples != null && !examples.getPath().isEmpty();
		List<String> classes = labels == null || labels.isBlank() ? List.of()
			: LabelImagesCommand.labelSet(labels).labels();
		Evaluation e = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device);
				ImageScorer scorer = Evaluator.scorer(lease.model(), model.toPath(), data.toPath(), classes,
					withExamples ? examples.toPath() : null, fewShot, new ImageJProgress(this::isCanceled),
					line -> IJ.log("CLIP " + line)))
			{
				return Evaluator.evaluate(scorer, data.toPath(), classes, null, new ImageJProgress(this::isCanceled));
			}
		});
		IJ.showProgress(1.0);
		IJ.log("CLIP evaluation of " + model.getName() + " on " + data + ":\n" + e.describe());
		if (!e.skipped().isEmpty()) IJ.log("Skipped: " + String.join("; ", e.skipped()));
		if (output != null && !output.getPath().isEmpty()) {
			IJ.log("Wrote " + EvaluationFiles.write(e, output.toPath()));
		}
		IJ.showStatus(String.format("CLIP: accuracy %.1f %%", 100 * e.confusion().accuracy()));
		if (!Tables.headless()) new ImagePlus("CLIP Confusion Matrix", ConfusionImage.render(e.confusion())).show();
		Tables.publish(table(e), TABLE, results);
	}

	/** One row per class (support, precision, recall, F1), then one per summary figure in the value column. */
	static ResultsTable table(Evaluation e) {
		ResultsTable t = new ResultsTable();
		ConfusionMatrix m = e.confusion();
		for (int c = 0; c < m.classes().size(); c++) {
			t.incrementCounter();
			t.addValue("class", m.classes().get(c));
			t.addValue("support", m.support(c));
			t.addValue("precision", m.precision(c));
			t.addValue("recall", m.recall(c));
			t.addValue("f1", m.f1(c));
			t.addValue("value", Double.NaN);
		}
		for (Object[] row : e.summaryRows()) {
			t.incrementCounter();
			t.addValue("class", (String) row[0]);
			for (String column : new String[] { "support", "precision", "recall", "f1" }) t.addValue(column, Double.NaN);
			t.addValue("value", (Double) row[1]);
		}
		return t;
	}
}
