package sc.fiji.clip.color;

/** Follows a colour optimisation and can cancel it; a cancelled run returns the steps it has recorded. */
public interface ColorProgress {

	/** Does nothing and never cancels. */
	ColorProgress NONE = (step, total) -> {};

	/** Called after each step: {@code step} of {@code total} updates done; with {@code total} when all stopped early. */
	void progress(int step, int total);

	/** Checked before each step; returning true ends the run with what it has. */
	default boolean isCancelled() {
		return false;
	}
}
