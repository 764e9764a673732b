package sc.fiji.clip.train;

/**
 * What a training reports and asks while it runs, so that the command line and the Fiji command drive the same
 * loop: progress of decoding and of each step, the end of each epoch, messages, and whether to stop.
 */
public interface TrainingListener {

	/** A line for the user (layout found, skipped files, checkpoints). */
	default void message(String text) {}

	/** Images decoded so far while preparing the data. */
	default void decoding(int done, int total) {}

	/** After every training step. */
	default void step(StepProgress progress) {}

	/** After every epoch, with validation figures. */
	default void epoch(EpochRecord record) {}

	/** Polled before every step; true stops the training after saving a checkpoint. */
	default boolean isCancelled() {
		return false;
	}
}
