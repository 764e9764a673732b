package sc.fiji.clip.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.search.EmbeddingExport;

/** {@code fiji-clip embed}: per-plane image embeddings into a CSV, .npz or .safetensors file. */
@Command(name = "embed", sortOptions = false,
	description = { "Write the image embedding of every plane of each image file and folder, for analysis elsewhere "
		+ "(UMAP, clustering): .csv (image,c,z,t,e0...), .npz or .safetensors (arrays embeddings, c, z, t; image "
		+ "names in NAME.planes.csv). Embeddings are L2-normalised." })
final class EmbedCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model (required).")
	Path model;

	@Option(names = "--out", required = true, paramLabel = "FILE",
		description = "The file: .csv, .npz or .safetensors (required); replaced only when complete.")
	Path out;

	@Option(names = "--overwrite", description = "Replace --out if it exists (default: refuse).")
	boolean overwrite;

	@Option(names = "--merge-channels", description = "One row per composite of a multichannel image's channels.")
	boolean mergeChannels;

	@Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EncodingPipeline.DEFAULT_BATCH_SIZE,
		description = "Planes encoded together (default: ${DEFAULT-VALUE}).")
	int batchSize;

	@Parameters(arity = "1..*", paramLabel = "PATH", description = "Image files and folders.")
	List<Path> paths;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		EmbeddingExport.format(out);
		OutputFile.check(out, overwrite, "--out", "a .csv, .npz or .safetensors file");
		if (batchSize < 1) throw new ClipException("--batch-size must be at least 1, not " + batchSize + ".");
		List<LabelInput> inputs = new ArrayList<>();
		for (Path p : paths) inputs.add(LabelInput.of(p));
		PrintWriter err = spec.commandLine().getErr();
		TerminalProgress terminal = new TerminalProgress(err);
		LabelSummary summary;
		try (ClipModel clip = ModelFiles.load(model, common.start()); EmbeddingExport export = EmbeddingExport.to(out)) {
			int dim = clip.config().projection_dim;
			summary = EncodingPipeline.builder(clip).batchSize(batchSize).mergeChannels(mergeChannels)
				.progress(new LabelCommand.ProgressLine(terminal, "embedding")).build()
				.run(inputs, e -> e.toFloatArray(), (plane, batch, row) -> export.add(plane, batch, row * dim, dim));
			if (summary.cancelled()) throw new ClipException("Cancelled; nothing written.");
			export.write(clip.weights().manager());
		}
		if (summary.skipped() > 0) terminal.println("fiji-clip: " + summary.skipReport());
		terminal.println(String.format(Locale.ROOT, "fiji-clip: embedded %d planes of %d images in %.1f s (%.1f images/s); "
			+ "wrote %s%s", summary.planes(), summary.images(), summary.seconds(), summary.planesPerSecond(), out,
			EmbeddingExport.format(out).equals("csv") ? "" : " and " + EmbeddingExport.planesFile(out)));
		err.flush();
		return 0;
	}
}
