package sc.fiji.clip.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipArchitecture;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code fiji-clip import DIR --out MODEL.zip}: turns a Hugging Face CLIP folder or an open_clip folder into Fiji
 * CLIP's one-file model (config, safetensors in Hugging Face names, tokenizer files, image processor config),
 * written atomically. The weights are checked by loading them, so a zip that is written also loads.
 */
@Command(name = "import", description = "Convert a Hugging Face or open_clip CLIP folder into a Fiji CLIP model .zip.")
final class ImportCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Parameters(index = "0", paramLabel = "DIR", description = "A Hugging Face CLIP folder (config.json, "
		+ "model.safetensors, tokenizer files) or an open_clip folder (open_clip_config.json, "
		+ "open_clip_model.safetensors, tokenizer files).")
	Path source;

	@Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "The model file to write.")
	Path out;

	@Option(names = "--overwrite", description = "Replace --out if it exists.")
	boolean overwrite;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws Exception {
		PrintWriter stdout = spec.commandLine().getOut();
		if (Files.isDirectory(out)) {
			throw new ClipException("--out " + out + " is a folder. Give the path of the .zip file to write.");
		}
		if (Files.exists(out) && !overwrite) {
			throw new ClipException("--out " + out + " exists. Choose another file or add --overwrite.");
		}
		if (out.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize())) {
			throw new ClipException("--out " + out + " is the model being imported. Write to another file.");
		}
		common.start();
		List<String> unused = new ArrayList<>();
		// weights are converted on the CPU: a GPU would only add a copy
		try (ClipModel model = ModelFiles.load(source, Device.cpu(), unused)) {
			Path parent = out.toAbsolutePath().getParent();
			if (parent != null) Files.createDirectories(parent);
			ModelFiles.save(model, out);
			boolean openClip = Files.isDirectory(source) && !Files.isRegularFile(source.resolve(ModelFiles.WEIGHTS))
				&& Files.isRegularFile(source.resolve(ModelFiles.OPEN_CLIP_WEIGHTS));
			stdout.println("imported " + source + (openClip ? " (open_clip names)" : "") + " -> " + out);
			stdout.println("  architecture: " + model.config().describe());
			stdout.printf("  parameters:   %,d%n", new ClipArchitecture(model.config()).parameterCount());
			stdout.printf("  file size:    %.1f MB%n", Files.size(out) / 1e6);
			if (!unused.isEmpty()) {
				stdout.println("  not used:     " + unused.size() + " tensor(s) that are not part of CLIP were left out: "
					+ String.join(", ", unused));
			}
		}
		return 0;
	}
}
