package sc.fiji.clip.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.eval.ConfusionMatrix;
import sc.fiji.clip.eval.Evaluation;
import sc.fiji.clip.eval.EvaluationFiles;
import sc.fiji.clip.eval.Evaluator;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code fiji-clip evaluate}: accuracy, per-class precision/recall/F1, the confusion matrix and retrieval recall@k
 * of a model on a folder of class folders, zero-shot or with few-shot examples.
 */
@Command(name = "evaluate", sortOptions = false,
	description = { "Measure a model on a labelled folder (one subfolder of images per class, or captions and "
		+ "--val-labels): accuracy, per-class "
		+ "precision, recall and F1, the confusion matrix, and image->text / text->image recall@1/5/10.",
		"Classifies zero-shot by the class folders' names, with --examples few-shot, and with a model made by "
			+ "fiji-clip adapt by the classifier it keeps." })
final class EvaluateCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model (required).")
	Path model;

	@Option(names = "--data", required = true, paramLabel = "DIR",
		description = "The labelled images (required): class folders, DIR/<class>/..., or a captioned folder with "
			+ "--val-labels.")
	Path data;

	@Option(names = "--val-labels", split = ",", paramLabel = "NAMES",
		description = "For a captioned --data folder (captions.csv or .txt files): the class names, comma list; each "
			+ "image's class is the one its captions name (images naming none or several are left out and reported).")
	List<String> valLabels = new ArrayList<>();

	@Option(names = "--examples", paramLabel = "DIR",
		description = "Few-shot examples, DIR/<class>/..., kept apart from --data (default: none).")
	Path examples;

	@Option(names = "--method", paramLabel = "M", defaultValue = "probe",
		description = "How --examples are used: cache or probe (default: ${DEFAULT-VALUE}).")
	String method;

	@Option(names = "--out", paramLabel = "DIR",
		description = "Write " + EvaluationFiles.SUMMARY + ", " + EvaluationFiles.CLASSES + ", "
			+ EvaluationFiles.CONFUSION + " and " + EvaluationFiles.IMAGE + " into this folder (default: print only).")
	Path out;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		FewShotMethod fewShot = FewShotMethod.of(method);
		if (out != null && Files.isRegularFile(out)) {
			throw new ClipException("--out " + out + " is a file. Give a folder to write the evaluation into.");
		}
		PrintWriter stdout = spec.commandLine().getOut();
		TerminalProgress terminal = new TerminalProgress(spec.commandLine().getErr());
		Evaluation e;
		try (ClipModel clip = ModelFiles.load(model, common.start());
			ImageScorer scorer = Evaluator.scorer(clip, model, data, valLabels, examples, fewShot,
				new LabelCommand.ProgressLine(terminal, "examples"), line -> terminal.println("fiji-clip: " + line)))
		{
			e = Evaluator.evaluate(scorer, data, valLabels, null, new LabelCommand.ProgressLine(terminal, "evaluating"));
		}
		if (!e.skipped().isEmpty()) terminal.println("fiji-clip: skipped: " + String.join("; ", e.skipped()));
		stdout.println(e.describe());
		ConfusionMatrix m = e.confusion();
		stdout.println("class,support,precision,recall,f1");
		for (int c = 0; c < m.classes().size(); c++) {
			stdout.println(String.format(Locale.ROOT, "%s,%d,%.3f,%.3f,%.3f", m.classes().get(c), m.support(c),
				m.precision(c), m.recall(c), m.f1(c)));
		}
		if (out != null) stdout.println("wrote " + String.join(", ", EvaluationFiles.write(e, out).stream()
			.map(Path::toString).toArray(String[]::new)));
		stdout.flush();
		return 0;
	}
}
