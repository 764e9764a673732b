package sc.fiji.clip.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.SavedAdapter;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code fiji-clip adapt}: fits a few-shot classifier on an examples folder and keeps it in a copy of the model
 * file, so that {@code label}, Label Images… and macros use it with no labels and no examples.
 */
@Command(name = "adapt", sortOptions = false,
	description = { "Fit a few-shot classifier on a folder of labelled examples (one subfolder of images per class) "
		+ "and write a model file that keeps it: labelling with that file then needs neither --labels nor --examples." })
final class AdaptCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model to adapt (required).")
	Path model;

	@Option(names = "--examples", required = true, paramLabel = "DIR",
		description = "A folder with one subfolder of example images per class, DIR/<class>/... (required).")
	Path examples;

	@Option(names = "--method", paramLabel = "M", defaultValue = "probe",
		description = "cache (Tip-Adapter, weights by leave-one-out; no training) or probe (logistic regression) "
			+ "(default: ${DEFAULT-VALUE}).")
	String method;

	@Option(names = "--template", paramLabel = "T",
		description = "A caption template for the class names; {} is the class. Repeat to ensemble (default: the "
			+ "model's templates).")
	List<String> templates = new ArrayList<>();

	@Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "The model file to write (required).")
	Path out;

	@Option(names = "--overwrite", description = "Replace --out if it exists (default: refuse).")
	boolean overwrite;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		FewShotMethod fewShot = FewShotMethod.of(method);
		OutputFile.check(out, overwrite, "--out", "the .zip model file");
		if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
			throw new ClipException("--out " + out + " is the model being adapted. Write to another file.");
		}
		PrintWriter stdout = spec.commandLine().getOut();
		TerminalProgress terminal = new TerminalProgress(spec.commandLine().getErr());
		CaptionTemplates t = templates.isEmpty() ? null : CaptionTemplates.of(templates);
		try (ClipModel clip = ModelFiles.load(model, common.start());
			ImageScorer scorer = Scorers.open(clip, null, null, t, examples, fewShot,
				new LabelCommand.ProgressLine(terminal, "examples"), line -> terminal.println("fiji-clip: " + line)))
		{
			SavedAdapter.save(clip, scorer, out);
			stdout.println("wrote " + out + ": " + FewShotMethod.describe(scorer));
		}
		stdout.flush();
		return 0;
	}
}
