package sc.fiji.clip.fiji;

import ij.IJ;
import java.io.File;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.engine.DeviceChoice;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/**
 * Plugins › CLIP › Train CLIP Model…: trains on a folder of images with captions, with ImageJ's progress bar and Esc
 * to stop, then shows the training curves as a Plot and the log as a table. Batch size, learning rate and validation
 * split are the trainer's defaults (the command line sets them); the log is also written beside the model as
 * {@code training-log.csv}. A thin shell over {@link Trainer}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Train CLIP Model...")
public class TrainModelCommand extends ContextCommand {

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String help = "Folder: captions.csv, sidecar .txt files or class subfolders.";

	@Parameter(label = "Image folder", style = "directory")
	private File folder;

	@Parameter(label = "Model file (.zip)", style = "save", persist = false)
	private File model;

	@Parameter(label = "Model size", choices = { "small", "medium", "demo", "seed", "tiny" })
	private String preset = "small";

	@Parameter(label = "Epochs (0: automatic)", min = "0")
	private int epochs = 0;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	@Override
	public void run() {
		TrainingResult result = DjlInFiji.call(() -> {
			CaptionDataset data = DatasetScanner.defaults().scan(folder.toPath());
			TrainingOptions options = TrainingOptions.builder().preset(preset).epochs(epochs).build();
			IJ.log("CLIP training: " + data.describe());
			return new Trainer(options, DeviceChoice.parse(device).resolve(), new ImageJProgress(this::isCanceled))
				.train(data, model.toPath());
		});
		report(result, model, results);
	}

	/** Status line, log line, training curves and the log table after a training or fine-tuning. */
	static void report(TrainingResult result, File model, boolean results) {
		IJ.showProgress(1.0);
		IJ.showStatus("CLIP: training " + (result.cancelled() ? "stopped" : "done") + " after " + result.steps() + " steps");
		IJ.log((result.cancelled() ? "Stopped" : "Done") + "; model: " + result.model() + ", checkpoint: "
			+ result.checkpoint() + ", log: " + result.log());
		if (!result.records().isEmpty()) {
			if (!Tables.headless()) TrainingCurves.plot("CLIP training " + model.getName(), result.records()).show();
			Tables.publish(TrainingCurves.table(result.records()), "CLIP Training Log", results);
		}
	}
}
