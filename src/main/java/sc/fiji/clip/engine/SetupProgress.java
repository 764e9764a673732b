package sc.fiji.clip.engine;

/** Hears how {@link GpuSetup} is getting on, and may stop it. */
public interface SetupProgress {

	/** Ignores everything, never cancels. */
	SetupProgress NONE = new SetupProgress() {};

	/** A line for the user: what is downloaded from where, where it went. */
	default void message(String text) {}

	/** Bytes downloaded so far of {@code total} (-1 when unknown), while fetching {@code file}. */
	default void download(long done, long total, String file) {}

	/** Polled between chunks: {@code true} stops the set-up and removes what it had written. */
	default boolean isCancelled() {
		return false;
	}
}
