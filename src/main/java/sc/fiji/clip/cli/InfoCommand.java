package sc.fiji.clip.cli;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.fewshot.SavedAdapter;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipArchitecture;
import sc.fiji.clip.model.ClipConfig;

/**
 * {@code fiji-clip info}: the engine, libtorch (which, from where, why), device and threads in use, and optionally a
 * model file's architecture.
 */
@Command(name = "info",
	description = "Show the deep learning engine, libtorch (which and why), device and threads, and a model's architecture.")
final class InfoCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", description = "A model .zip or Hugging Face CLIP folder to describe.")
	Path model;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws Exception {
		PrintWriter out = spec.commandLine().getOut();
		common.start();
		Engine engine = ClipEngine.get();
		out.println("fiji-clip " + VersionProvider.version());
		out.println("engine:   " + engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")");
		out.println("libtorch: " + ClipEngine.libtorchWhat());
		out.println("  why:    " + ClipEngine.libtorchWhy());
		out.println("device:   " + common.deviceChoice().explain());
		out.println("threads:  " + ClipEngine.threads() + " (machine has " + Runtime.getRuntime().availableProcessors() + " cores)");
		out.println("java:     " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
		if (model != null) {
			ClipConfig config = ModelFiles.readConfig(model);
			long bytes = Files.isDirectory(model) ? directorySize(model) : Files.size(model);
			out.println("model:    " + model);
			out.println("  architecture: " + config.describe());
			out.printf("  parameters:   %,d (%.1f MB as float32)%n", new ClipArchitecture(config).parameterCount(),
				new ClipArchitecture(config).parameterCount() * 4 / 1e6);
			out.printf("  file size:    %.1f MB%n", bytes / 1e6);
			out.println("  tokenizer:    " + config.fiji_clip.tokenizer + ", " + config.text_config.max_position_embeddings + " tokens");
			if (!config.fiji_clip.templates.isEmpty()) out.println("  templates:    " + config.fiji_clip.templates);
			if (config.fiji_clip.training.size() > 0) out.println("  training:     " + config.fiji_clip.training);
			String adapter = SavedAdapter.describe(model);
			if (adapter != null) out.println("  few-shot:     " + adapter + " (labels with no --labels)");
		}
		return 0;
	}

	private static long directorySize(Path dir) throws java.io.IOException {
		try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
		}
	}
}
