package sc.fiji.clip.fiji;

import java.util.concurrent.Callable;
import sc.fiji.clip.engine.ClipEngine;

/**
 * Runs deep-learning work from a Fiji command: DJL's offline settings in place before the engine loads, and the
 * plugin's own class loader as the thread's context class loader (Fiji's plugin class loader is not always the
 * context one, and DJL finds its engine through it: otherwise "engine not found").
 */
public final class DjlInFiji {

	private DjlInFiji() {}

	/** Calls {@code work} with the plugin's class loader and offline DJL; unchecked exceptions pass through unchanged. */
	public static <T> T call(Callable<T> work) {
		ClipEngine.configureOffline();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(DjlInFiji.class.getClassLoader());
		try {
			return work.call();
		} catch (RuntimeException e) {
			throw e;
		} catch (Exception e) {
			throw new IllegalStateException(e);
		} finally {
			thread.setContextClassLoader(previous);
		}
	}
}
