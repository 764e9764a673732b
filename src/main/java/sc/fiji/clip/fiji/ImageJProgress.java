package sc.fiji.clip.fiji;

import ij.IJ;
import java.util.function.BooleanSupplier;
import sc.fiji.clip.train.EpochRecord;
import sc.fiji.clip.train.StepProgress;
import sc.fiji.clip.train.TrainingListener;

/**
 * Shows a training's progress in ImageJ's progress bar and status line, its messages in the Log window, and stops
 * it when the user presses Esc or the command is cancelled.
 */
final class ImageJProgress implements TrainingListener {

	private final BooleanSupplier cancelled;

	ImageJProgress(BooleanSupplier cancelled) {
		this.cancelled = cancelled;
		IJ.resetEscape();
	}

	@Override
	public void message(String text) {
		IJ.log(text);
	}

	@Override
	public void decoding(int done, int total) {
		IJ.showStatus("CLIP: decoding images " + done + "/" + total);
		IJ.showProgress(done, total);
	}

	@Override
	public void step(StepProgress p) {
		IJ.showStatus("CLIP: " + p.line());
		IJ.showProgress(p.step, p.totalSteps);
	}

	@Override
	public void epoch(EpochRecord record) {
		IJ.log(record.summary());
	}

	@Override
	public boolean isCancelled() {
		return IJ.escapePressed() || cancelled.getAsBoolean();
	}
}
