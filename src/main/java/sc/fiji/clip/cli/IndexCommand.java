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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.search.IndexSummary;
import sc.fiji.clip.search.Indexer;

/** {@code fiji-clip index}: embeds every plane of image files and folders into an index for {@code search}. */
@Command(name = "index", sortOptions = false,
	description = { "Embed every plane of each image file, and of every image file under each folder, into an index "
		+ "folder for fiji-clip search.",
		"Run again, it embeds only new and changed files and drops removed ones; with no PATH it updates the paths the "
			+ "index was made with. An index made with another model is refused." })
final class IndexCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model (required).")
	Path model;

	@Option(names = "--out", required = true, paramLabel = "DIR",
		description = "The index folder: made if new, updated if it holds an index (required).")
	Path out;

	@Option(names = "--float16",
		description = "Store the embeddings as float16: half the disk, search as fast (default: float32).")
	boolean half;

	@Option(names = "--merge-channels",
		description = "One row per slice and frame for multichannel images, the composite of their channels "
			+ "(default: one row per channel).")
	boolean mergeChannels;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodingPipeline.DEFAULT_BATCH_SIZE,
		description = "Planes encoded together (default: ${DEFAULT-VALUE}).")
	int batchSize;

	@Parameters(arity = "0..*", paramLabel = "PATH", description = "Image files and folders to index.")
	List<Path> paths = new ArrayList<>();

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		if (batchSize < 1) throw new ClipException("--batch-size must be at least 1, not " + batchSize + ".");
		PrintWriter err = spec.commandLine().getErr();
		TerminalProgress terminal = new TerminalProgress(err);
		IndexSummary summary;
		try (ClipModel clip = ModelFiles.load(model, common.start())) {
			summary = Indexer.builder(clip, model).half(half).mergeChannels(mergeChannels).batchSize(batchSize)
				.progress(new LabelCommand.ProgressLine(terminal, "indexing")).build().update(out, paths);
		}
		if (summary.skipped() > 0) {
			terminal.println("fiji-clip: " + summary.skipped() + " files skipped:");
			for (String line : summary.skipLines()) terminal.println("  " + line);
		}
		terminal.println("fiji-clip: index " + out + ": " + summary);
		err.flush();
		return 0;
	}
}
