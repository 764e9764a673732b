package sc.fiji.clip.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelCsvWriter;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code fiji-clip label}: zero-shot (or, with examples or an adapted model, few-shot) labels for every plane of image files and folders, as CSV on standard output
 * or in a file; progress and skipped files on standard error.
 */
@Command(name = "label", sortOptions = false,
	description = { "Label images zero-shot, or few-shot with --examples: every plane of each image file, and every "
		+ "image file under each folder (recursively, in sorted order), gets the most probable of the labels.",
		"Writes CSV: image,c,z,t,label,score[,label2,score2...][,p:<label>...]. Progress and skipped files go to "
			+ "standard error." })
final class LabelCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, paramLabel = "MODEL",
		description = "The model: a Fiji CLIP .zip or a Hugging Face CLIP folder (required).")
	Path model;

	@ArgGroup(exclusive = true, multiplicity = "0..1")
	LabelSource labels;

	@Option(names = "--examples", paramLabel = "DIR",
		description = "Few-shot: a folder with one subfolder of example images per class (DIR/<class>/...); the "
			+ "class folders name the labels, so --labels may be left out (default: none, zero-shot).")
	Path examples;

	@Option(names = "--method", paramLabel = "M", defaultValue = "probe",
		description = "How --examples are used: cache (Tip-Adapter: text plus similarity to the examples, weights "
			+ "chosen by leave-one-out; no training) or probe (logistic regression on the embeddings) "
			+ "(default: ${DEFAULT-VALUE}).")
	String method;

	static final class LabelSource {
		@Option(names = "--labels", paramLabel = "A,B,C",
			description = "The labels, separated by commas (this, --labels-file, --examples, or a model made by "
				+ "fiji-clip adapt).")
		String list;

		@Option(names = "--labels-file", paramLabel = "FILE",
			description = "A UTF-8 text file with one label per line (give this or --labels).")
		Path file;
	}

	@Option(names = "--template", paramLabel = "T",
		description = "A caption template; {} is the label. Repeat to ensemble several (default: the templates the "
			+ "model was trained with, else \"" + CaptionTemplates.DEFAULT_TEMPLATE + "\").")
	List<String> templates = new ArrayList<>();

	@Option(names = "--templates-file", paramLabel = "FILE",
		description = "A text file with one template per line, used with any --template (default: none).")
	Path templatesFile;

	@Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
		description = "Number of most probable labels per row, at most the number of labels (default: ${DEFAULT-VALUE}).")
	int topK;

	@Option(names = "--all-scores",
		description = "Add a p:<label> column with the probability of every label (default: off).")
	boolean allScores;

	@Option(names = "--merge-channels",
		description = "One row per slice and frame for multichannel images, labelling the composite of their channels "
			+ "(c is empty), instead of one row per channel (default: off).")
	boolean mergeChannels;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + ZeroShotLabeller.DEFAULT_BATCH_SIZE,
		description = "Planes encoded together; more is faster but needs more memory (default: ${DEFAULT-VALUE}).")
	int batchSize;

	@Option(names = "--tile", paramLabel = "PX", defaultValue = "0",
		description = "Label square tiles of PX pixels of each plane instead of whole planes: one row per tile, "
			+ "with tile,x,y,size columns (default: off).")
	int tile;

	@Option(names = "--stride", paramLabel = "PX", defaultValue = "0",
		description = "With --tile: pixels between tiles; less than the tile overlaps them (default: the tile size).")
	int stride;

	@Option(names = "--maps", paramLabel = "DIR",
		description = "With --tile: write NAME-labels.tif (16-bit, value i = the i-th label, names in its Info) and "
			+ "NAME-probabilities.tif (one channel per label) per image into DIR, one pixel per stride of the image.")
	Path maps;

	@Option(names = "--pixels", description = "With --maps: maps at the image's own resolution (default: one pixel per stride).")
	boolean pixels;

	@Option(names = "--rois", paramLabel = "FILE",
		description = "Label the ROIs of a RoiSet.zip (or .roi) on one image instead of whole planes: one row per ROI, "
			+ "with roi,name,x,y,width,height columns; a ROI on a plane is labelled there, others on every plane.")
	Path rois;

	@Option(names = "--pad", paramLabel = "PX", defaultValue = "0",
		description = "With --rois: pixels of context around each ROI's box (default: ${DEFAULT-VALUE}).")
	int pad;

	@Option(names = "--mask", description = "With --rois: black out the pixels of the box outside the ROI (default: off).")
	boolean mask;

	@Option(names = "--out", paramLabel = "FILE",
		description = "Write the CSV to this file, replaced only when complete (default: standard output).")
	Path out;

	@Option(names = "--overwrite", description = "Replace --out if it exists (default: refuse).")
	boolean overwrite;

	@Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files and folders to label.")
	List<Path> paths;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter err = spec.commandLine().getErr();
		LabelSet labelSet = labels == null ? null
			: labels.file != null ? LabelSet.fromFile(labels.file) : LabelSet.parseList(labels.list);
		FewShotMethod fewShot = FewShotMethod.of(method);
		CaptionTemplates templateSet = templates();
		if (topK < 1) throw new ClipException("--top-k must be at least 1, not " + topK + ".");
		if (batchSize < 1) throw new ClipException("--batch-size must be at least 1, not " + batchSize + ".");
		if (out != null) OutputFile.check(out, overwrite, "--out", "a .csv file");
		if (rois != null) RoiLabelling.check(rois, paths, tile);
		else if (pad != 0 || mask) throw new ClipException("--pad and --mask go with --rois.");
		if (tile > 0) TileLabelling.check(tile, stride, maps, paths);
		else if (maps != null || stride != 0 || pixels) throw new ClipException("--stride, --maps and --pixels go with --tile.");
		List<LabelInput> inputs = new ArrayList<>();
		for (Path p : paths) inputs.add(LabelInput.of(p));

		Device device = common.start();
		TerminalProgress terminal = new TerminalProgress(err);
		try (ClipModel clip = ModelFiles.load(model, device);
			ImageScorer classifier = Scorers.open(clip, model, labelSet, templateSet, examples, fewShot,
				new ProgressLine(terminal, "examples"), line -> terminal.println("fiji-clip: " + line)))
		{
			ProgressLine line = new ProgressLine(terminal, "labelling");
			if (rois != null) {
				int k = topK;
				TextOutput.Writing writing = writer -> RoiLabelling.run(classifier, rois, paths.get(0), pad, mask, k, allScores, batchSize,
					mergeChannels, new ProgressLine(terminal, "ROIs"), writer, m -> terminal.println("fiji-clip: " + m));
				write(writing, null);
				err.flush();
				return 0;
			}
			if (tile > 0) {
				TileLabelling tiles = new TileLabelling(classifier, tile, stride == 0 ? tile : stride, batchSize,
					mergeChannels, maps, pixels, new ProgressLine(terminal, "tiles"));
				int k = Math.min(topK, classifier.labels().size());
				write(writer -> tiles.run(paths, k, allScores, writer, m -> terminal.println("fiji-clip: " + m)), null);
				err.flush();
				return 0;
			}
			ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).topK(topK).allScores(allScores)
				.mergeChannels(mergeChannels).batchSize(batchSize).progress(line).build();
			if (labeller.topKClamped()) {
				terminal.println("fiji-clip: --top-k " + topK + " is more than the " + classifier.labels().size() + " labels; writing "
					+ labeller.topK() + ".");
			}
			LabelSummary[] result = new LabelSummary[1];
			write(writer -> result[0] = label(labeller, inputs, writer), line);
			LabelSummary summary = result[0];
			if (summary.skipped() > 0) terminal.println("fiji-clip: " + summary.skipReport());
			terminal.println(String.format(Locale.ROOT, "fiji-clip: labelled %d planes of %d images in %.1f s (%.1f "
				+ "images/s, %d threads)%s", summary.planes(), summary.images(), summary.seconds(), summary.planesPerSecond(),
				ClipEngine.threads(), out != null ? "; wrote " + out : ""));
		}
		err.flush();
		return 0;
	}

	private static LabelSummary label(ZeroShotLabeller labeller, List<LabelInput> inputs, Writer writer)
		throws IOException
	{
		try {
			return labeller.label(inputs, LabelCsvWriter.forLabeller(writer, labeller));
		} catch (UncheckedIOException e) {
			throw e.getCause();
		}
	}

	/** Runs {@code writing} into --out or standard output, which {@code line} (if any) flushes after every batch. */
	private void write(TextOutput.Writing writing, ProgressLine line) {
		TextOutput.write(out, spec.commandLine().getOut(), writing, line == null ? null : line::flushing);
	}

	/** The templates given with --template and --templates-file, or null for the model's default. */
	private CaptionTemplates templates() {
		List<String> all = new ArrayList<>(templates);
		if (templatesFile != null) all.addAll(CaptionTemplates.fromFile(templatesFile).templates());
		return all.isEmpty() ? null : CaptionTemplates.of(all);
	}

	/** Progress after every batch on a {@link TerminalProgress} line; flushes the CSV on standard output too. */
	static final class ProgressLine implements ProgressListener {
		private final TerminalProgress line;
		private final String what;
		private final long start = System.nanoTime();
		private PrintWriter flushing;

		ProgressLine(TerminalProgress line, String what) {
			this.line = line;
			this.what = what;
		}

		/** Flushes {@code out} after every batch, so a pipe sees rows as they come. */
		void flushing(PrintWriter out) {
			this.flushing = out;
		}

		@Override
		public void progress(long done, long total) {
			if (flushing != null) flushing.flush();
			double seconds = (System.nanoTime() - start) / 1e9;
			line.update(String.format(Locale.ROOT, "%s: %d/%d planes, %.1f images/s", what, done, total,
				seconds > 0 ? done / seconds : 0));
		}
	}
}
