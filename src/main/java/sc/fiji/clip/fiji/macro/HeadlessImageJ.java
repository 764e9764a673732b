package sc.fiji.clip.fiji.macro;

import java.awt.GraphicsEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * ImageJ 1 without a display, booted once per JVM: for tests and the command line, never inside a running Fiji
 * (there ImageJ-legacy has already patched and set up ImageJ 1).
 * <p>
 * {@link #boot()} sets {@code java.awt.headless=true}, lets {@code ij1-patcher} patch ImageJ 1's classes for headless
 * use ({@code LegacyInjector.preinit()}: dialogs read macro options instead of opening, macros always run in batch
 * mode, macro errors go to {@code System.err}), installs a log hook so that {@code IJ.log} (and the macro
 * {@code print}) can be captured ({@link #addLogListener(Consumer)}), and builds ImageJ 1's command table
 * ({@code ij.Menus.getCommands()}) through {@code IJ.runPlugIn("ij.IJ.init", "")}.
 * <p>
 * The patching only works if no ImageJ 1 class ({@code ij.*}) has been loaded yet, so call {@code boot()} before
 * anything touches ImageJ 1 (the command line: first thing in {@code main}, before creating the SciJava context).
 * Where that cannot be ensured, e.g. a test JVM shared with other tests that use ImageJ 1, start the JVM with
 * {@code -Djava.awt.headless=true -javaagent:/path/to/ij1-patcher.jar=init}, which patches at JVM start; {@code boot()}
 * then finds ImageJ 1 patched. On Java 17 the patcher ({@code ij1-patcher} 2.0.0) needs
 * {@code --add-opens=java.base/java.lang=ALL-UNNAMED}.
 */
public final class HeadlessImageJ {

	private static final List<Consumer<String>> LOG_LISTENERS = new CopyOnWriteArrayList<>();
	private static volatile boolean booted;
	private static volatile boolean logCaptured;

	private HeadlessImageJ() {}

	/**
	 * Boots headless ImageJ 1 unless already done; safe to call again.
	 *
	 * @throws IllegalStateException if AWT already runs with a display, or ImageJ 1 was loaded before and cannot be
	 *                               patched any more
	 */
	public static synchronized void boot() {
		if (booted) return;
		System.setProperty("java.awt.headless", "true");
		if (!GraphicsEnvironment.isHeadless()) {
			throw new IllegalStateException("AWT was started with a display before HeadlessImageJ.boot();"
					+ " start the JVM with -Djava.awt.headless=true");
		}
		try {
			net.imagej.patcher.LegacyInjector.preinit();
		} catch (RuntimeException | LinkageError e) {
			throw new IllegalStateException("Could not patch ImageJ 1 for headless use (" + e.getMessage()
					+ "). Call HeadlessImageJ.boot() before any ij.* class is used, and on Java 17+ run with"
					+ " --add-opens=java.base/java.lang=ALL-UNNAMED", e);
		}
		// Only now may classes that extend patcher classes or use ij.* load (see LogHooks).
		logCaptured = LogHooks.install();
		if (ij.Menus.getCommands() == null) ij.IJ.runPlugIn("ij.IJ.init", "");
		if (ij.Menus.getCommands() == null) {
			throw new IllegalStateException("ImageJ 1 did not build its command table (ij.Menus.getCommands())");
		}
		booted = true;
	}

	/** Whether {@link #boot()} has completed in this JVM. */
	public static boolean isBooted() {
		return booted;
	}

	/**
	 * Whether {@code IJ.log} messages reach the {@linkplain #addLogListener(Consumer) log listeners}. False when
	 * someone else (ImageJ-legacy) had installed its own ImageJ 1 hooks, which are left alone.
	 */
	public static boolean isLogCaptured() {
		return logCaptured;
	}

	/**
	 * Adds a listener that receives every {@code IJ.log} message (from any thread) after {@link #boot()}. Messages
	 * still go to {@code System.out} as usual; ImageJ's log commands such as {@code "\\Clear"} arrive as they are.
	 */
	public static void addLogListener(Consumer<String> listener) {
		LOG_LISTENERS.add(listener);
	}

	public static void removeLogListener(Consumer<String> listener) {
		LOG_LISTENERS.remove(listener);
	}

	static void dispatchLog(String message) {
		for (Consumer<String> listener : LOG_LISTENERS) {
			try {
				listener.accept(message);
			} catch (RuntimeException e) {
				// a broken listener must not break IJ.log
			}
		}
	}
}
