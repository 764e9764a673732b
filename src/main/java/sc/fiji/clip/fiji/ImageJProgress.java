package sc.fiji.clip.fiji;

import ij.IJ;
import java.util.function.BooleanSupplier;
import sc.fiji.clip.color.ColorProgress;
import sc.fiji.clip.engine.GpuSetup;
import sc.fiji.clip.engine.SetupProgress;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.train.EpochRecord;
import sc.fiji.clip.train.StepProgress;
import sc.fiji.clip.train.TrainingListener;

/**
 * Shows the progress of a training, a labelling, a colour optimisation or the GPU set-up's download in ImageJ's
 * progress bar and status line, their messages in the Log window, and stops the work when the user presses Esc or the
 * command is cancelled.
 */
final class ImageJProgress implements TrainingListener, ProgressListener, ColorProgress, SetupProgress {

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
		show("decoding images " + done + "/" + total, done, total);
	}

	@Override
	public void step(StepProgress p) {
		show(p.line(), p.step, p.totalSteps);
	}

	@Override
	public void epoch(EpochRecord record) {
		IJ.log(record.summary());
	}

	/** Labelling: planes done of the total. */
	@Override
	public void progress(long done, long total) {
		show("labelled " + done + "/" + total + " planes", done, total);
	}

	/** Colour optimisation: steps done of the total. */
	@Override
	public void progress(int step, int total) {
		show("colour step " + step + "/" + total, step, total);
	}

	/** GPU set-up: bytes downloaded of the total (-1 unknown). */
	@Override
	public void download(long done, long total, String file) {
		if (total > 0) show("downloading " + file + ", " + GpuSetup.size(done) + " of " + GpuSetup.size(total), done, total);
		else IJ.showStatus("CLIP: downloading " + file + ", " + GpuSetup.size(done));
	}

	@Override
	public boolean isCancelled() {
		return IJ.escapePressed() || cancelled.getAsBoolean();
	}

	private static void show(String status, double done, double total) {
		IJ.showStatus("CLIP: " + status);
		IJ.showProgress(done / Math.max(1, total));
	}
}
