package sc.fiji.clip.label;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Hears how far a labelling run is and may stop it. Both methods are called on the labelling thread, between
 * batches; a cancelled run stops before its next batch and keeps the rows delivered so far.
 */
public interface ProgressListener {

	/** A listener that ignores progress and never cancels. */
	ProgressListener NONE = (done, total) -> {};

	/**
	 * Called after each batch: {@code done} planes labelled of {@code total}. For folders the total starts from the
	 * plane counts in the files' headers and is corrected as files are opened or skipped.
	 */
	void progress(long done, long total);

	/** Whether to stop before the next batch. */
	default boolean isCancelled() {
		return false;
	}

	/** A listener that ignores progress and stops when {@code cancelled} says so. */
	static ProgressListener cancelledWhen(BooleanSupplier cancelled) {
		Objects.requireNonNull(cancelled, "cancelled");
		return new ProgressListener() {
			@Override
			public void progress(long done, long total) {}

			@Override
			public boolean isCancelled() {
				return cancelled.getAsBoolean();
			}
		};
	}
}
