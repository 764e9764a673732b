package sc.fiji.clip.fiji;

import ij.IJ;
import ij.measure.ResultsTable;
import java.io.File;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.engine.DeviceChoice;
import sc.fiji.clip.io.ModelCache;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipArchitecture;
import sc.fiji.clip.model.ClipConfig;

/**
 * Plugins › CLIP › Model Info…: a model's architecture and training metadata, and the engine, libtorch (which and why)
 * and device in use, and whether the model is loaded in the {@link ClipService}'s cache.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Model Info...")
public class ModelInfoCommand extends ContextCommand {

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	/** The loaded models, reported on; absent in a bare context. */
	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		ResultsTable table = DjlInFiji.call(() -> {
			ClipConfig config = ModelFiles.readConfig(model.toPath());
			ResultsTable t = new ResultsTable();
			row(t, "model", model.getPath());
			row(t, "architecture", config.describe());
			row(t, "parameters", String.valueOf(new ClipArchitecture(config).parameterCount()));
			row(t, "tokenizer", config.fiji_clip.tokenizer);
			row(t, "image size", String.valueOf(config.vision_config.image_size));
			row(t, "templates", String.join(" | ", config.fiji_clip.templates));
			config.fiji_clip.training.entrySet().forEach(e -> row(t, "training " + e.getKey(), e.getValue().toString()));
			row(t, "engine", ClipEngine.get().getEngineName() + " " + ClipEngine.get().getVersion());
			row(t, "libtorch", ClipEngine.libtorchWhat());
			row(t, "libtorch why", ClipEngine.libtorchWhy());
			row(t, "device", DeviceChoice.parse(device).explain());
			row(t, "threads", String.valueOf(ClipEngine.threads()));
			if (service != null) {
				ModelCache cache = service.cache();
				row(t, "loaded", cache.holds(model.toPath(), DeviceChoice.parse(device).resolve()) ? "yes" : "no");
				row(t, "model cache", String.format("%d models, %d MB of %d MB", cache.size(), cache.bytesHeld() >> 20,
					cache.budget() >> 20));
			}
			return t;
		});
		for (int i = 0; i < table.size(); i++) IJ.log(table.getStringValue("property", i) + ": " + table.getStringValue("value", i));
		Tables.publish(table, "CLIP Model Info", results);
	}

	private static void row(ResultsTable t, String property, String value) {
		t.incrementCounter();
		t.addValue("property", property);
		t.addValue("value", value);
	}
}
