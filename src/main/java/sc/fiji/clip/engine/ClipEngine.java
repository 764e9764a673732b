package sc.fiji.clip.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Utils;
import java.nio.file.Path;
import sc.fiji.clip.ClipException;

/**
 * Starts DJL's PyTorch engine the way this project needs it: offline (no telemetry, no download), with a chosen
 * number of CPU threads, and with a clear message when the native library cannot load.
 */
public final class ClipEngine {

	public static final String ENGINE = "PyTorch";

	private static volatile Engine engine;

	private ClipEngine() {}

	/** Sets the properties DJL reads at start-up; harmless once the engine is running. */
	public static void configureOffline() {
		setIfAbsent("ai.djl.offline", "true");
		setIfAbsent("OPT_OUT_TRACKING", "true");
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
	}

	/**
	 * Sets the number of libtorch intra-op threads; before the engine starts this also fixes its start-up value.
	 * Non-positive means libtorch's default.
	 */
	public static void setThreads(int threads) {
		if (threads <= 0) return;
		System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
		if (engine != null) JniUtils.setNumThreads(threads);
	}

	/** The started engine; the first call loads libtorch (about a second from a warm cache). */
	public static Engine get() {
		Engine e = engine;
		if (e != null) return e;
		synchronized (ClipEngine.class) {
			if (engine == null) {
				configureOffline();
				try {
					engine = Engine.getEngine(ENGINE);
				} catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e1) {
					throw new ClipException("The PyTorch engine could not start: " + rootMessage(e1) + ". Fiji CLIP needs "
						+ "the jars pytorch-engine, pytorch-jni and pytorch-native-cpu (or PYTORCH_LIBRARY_PATH pointing at a "
						+ "libtorch " + "folder); their native files are unpacked to " + cacheDir() + ", which must be writable.", e1);
				}
				JniUtils.setGradMode(false);
			}
			return engine;
		}
	}

	/** Number of libtorch intra-op threads in use. */
	public static int threads() {
		get();
		return JniUtils.getNumThreads();
	}

	/** Which libtorch is loaded and from where, in one line. */
	public static String libtorchDescription() {
		String path = System.getenv("PYTORCH_LIBRARY_PATH");
		String flavor = System.getenv("PYTORCH_FLAVOR");
		String version = engine != null ? engine.getVersion() : "not started";
		StringBuilder s = new StringBuilder("libtorch ").append(version);
		if (path != null) s.append(" from PYTORCH_LIBRARY_PATH=").append(path);
		else s.append(" from ").append(cacheDir());
		if (flavor != null) s.append(", PYTORCH_FLAVOR=").append(flavor);
		return s.toString();
	}

	/** Where DJL keeps unpacked native libraries. */
	public static Path cacheDir() {
		return Utils.getEngineCacheDir("pytorch");
	}

	private static void setIfAbsent(String key, String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}

	private static String rootMessage(Throwable t) {
		Throwable r = t;
		while (r.getCause() != null && r.getCause() != r) r = r.getCause();
		return r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
	}
}
