package sc.fiji.clip.fiji;

import ij.IJ;
import java.io.File;
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
 * Plugins › CLIP › Fine-tune CLIP Model…: continues training a pretrained model (a model file, or a Hugging Face or
 * open_clip folder) on a folder of images with captions, keeping its architecture, tokenizer and preprocessing, with
 * the fine-tuning learning rate and optionally a locked tower (the command line's {@code train --from}). Its own
 * command rather than more inputs of Train CLIP Model…, so that macros written for that one keep running unchanged.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Fine-tune CLIP Model...")
public class FineTuneModelCommand extends ContextCommand {

	@Parameter(label = "Start from model (.zip or folder)", style = "both")
	private File start;

	@Parameter(label = "Image folder", style = "directory")
	private File folder;

	@Parameter(label = "Model file to write (.zip)", style = "save", persist = false)
	private File model;

	@Parameter(label = "Lock the image tower")
	private boolean lockimage = false;

	@Parameter(label = "Lock the text tower")
	private boolean locktext = false;

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
			TrainingOptions options = TrainingOptions.builder().from(start.getPath()).lock(lockimage, locktext, 0)
				.epochs(epochs).build();
			IJ.log("CLIP fine-tuning " + start.getName() + ": " + data.describe());
			return new Trainer(options, DeviceChoice.parse(device).resolve(), new ImageJProgress(this::isCanceled))
				.train(data, model.toPath());
		});
		TrainModelCommand.report(result, model, results);
	}
}
