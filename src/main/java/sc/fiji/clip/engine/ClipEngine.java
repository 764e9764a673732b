package sc.fiji.clip.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.Utils;
import java.nio.file.Path;
import java.nio.file.Paths;
import sc.fiji.clip.ClipException;

/**
 * Starts DJL's PyTorch engine the way this project needs it: offline (no telemetry, no download), on the libtorch
 * {@link LibtorchChoice} picks (the CPU jar, a CUDA libtorch set up by {@link GpuSetup}, or
 * {@code PYTORCH_LIBRARY_PATH}), with a chosen number of CPU threads, and with a clear message when it cannot load.
 */
public final class ClipEngine {

	public static final String ENGINE = "PyTorch";

	private static volatile Engine engine;
	private static volatile LibtorchChoice choice;

	private ClipEngine() {}

	/**
	 * Sets the properties DJL reads at start-up: no downloads and no telemetry
	 * ({@code ai.djl.offline}, {@code OPT_OUT_TRACKING}) and one inter-op thread. A value someone else gave, as a
	 * system property or through the environment ({@code DJL_OFFLINE}, {@code OPT_OUT_TRACKING}), is kept: other
	 * plugins in the same Fiji see DJL as they configured it. Harmless once the engine is running.
	 */
	public static void configureOffline() {
		setIfAbsent("ai.djl.offline", "DJL_OFFLINE", "true");
		setIfAbsent("OPT_OUT_TRACKING", "OPT_OUT_TRACKING", "true");
		setIfAbsent("ai.djl.pytorch.num_interop_threads", null, "1");
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

	/**
	 * The started engine; the first call chooses the libtorch ({@link LibtorchChoice}) and loads it (about a second
	 * from a warm cache).
	 */
	public static Engine get() {
		Engine e = engine;
		if (e != null) return e;
		synchronized (ClipEngine.class) {
			if (engine == null) {
				configureOffline();
				LibtorchBuild build = LibtorchBuild.current();
				LibtorchChoice c = LibtorchChoice.choose(LibtorchChoice.observe(build, cacheDir()));
				if (c.source() == LibtorchChoice.Source.JAR) BundledLibtorch.require(ClassLoaderUtils.getContextClassLoader(), build.classifier());
				c.apply();
				choice = c;
				try {
					engine = Engine.getEngine(ENGINE);
				} catch (EngineException | IllegalArgumentException | UnsatisfiedLinkError e1) {
					throw new ClipException(startFailure(c, rootMessage(e1)), e1);
				}
				JniUtils.setGradMode(false);
			}
			return engine;
		}
	}

	/** Whether {@link #get()} has started the engine in this JVM. */
	public static boolean isStarted() {
		return engine != null;
	}

	/** The libtorch chosen at start, or {@code null} before. */
	public static LibtorchChoice libtorchChoice() {
		return choice;
	}

	private static String startFailure(LibtorchChoice c, String cause) {
		switch (c.source()) {
			case SET_UP:
				String cuda = c.flavor().length() == 5 ? c.flavor().substring(2, 4) + "." + c.flavor().substring(4) : c.flavor();
				return "The CUDA libtorch (" + c.flavor() + ") in " + c.folder() + " could not load: " + cause + ". It needs an NVIDIA "
					+ "driver for CUDA " + cuda + ". Set " + LibtorchChoice.FLAVOR + "=cpu to use the CPU libtorch of the "
					+ "pytorch-native-cpu jar instead, or, if the folder is damaged, delete it and run gpu-setup again.";
			case LIBRARY_PATH:
				return "The libtorch in " + LibtorchChoice.LIBRARY_PATH + "=" + c.folder() + " could not load: " + cause + ". It must be "
					+ "libtorch " + LibtorchBuild.current().version() + " (for pip: the torch/lib folder of torch=="
					+ LibtorchBuild.current().version() + "); unset " + LibtorchChoice.LIBRARY_PATH + " to use the CPU libtorch of the "
					+ "pytorch-native-cpu jar.";
			default:
				return "The PyTorch engine could not start: " + cause + ". Fiji CLIP needs the jars pytorch-engine, pytorch-jni and "
					+ "pytorch-native-cpu (or " + LibtorchChoice.LIBRARY_PATH + " pointing at a libtorch folder); their native files "
					+ "are unpacked to " + cacheDir() + ", which must be writable.";
		}
	}

	/** Number of libtorch intra-op threads in use. */
	public static int threads() {
		get();
		return JniUtils.getNumThreads();
	}

	/**
	 * Which libtorch is loaded, from where and why, in one line: {@code 2.7.1 cu128 in ~/.djl.ai/pytorch/2.7.1-cu128-
	 * linux-x86_64: set up by gpu-setup; 1 CUDA GPU visible}.
	 */
	public static String libtorchDescription() {
		return libtorchWhat() + ": " + libtorchWhy();
	}

	/** What is loaded from where: {@code 2.7.1 cpu from the pytorch-native-cpu jar, unpacked in ...}. */
	public static String libtorchWhat() {
		LibtorchChoice c = choice;
		if (engine == null || c == null) return "not started";
		return c.describe(engine.getVersion(), loadedFolder());
	}

	/** Why that libtorch: the facts {@link LibtorchChoice} went by. */
	public static String libtorchWhy() {
		LibtorchChoice c = choice;
		if (engine == null || c == null) return "the engine has not started";
		String loaded = loadedFolder();
		if (c.folder() != null && loaded != null && !Paths.get(loaded).toAbsolutePath().equals(c.folder().toAbsolutePath())) {
			return "not the chosen " + c.folder() + " (" + c.reason() + "): other code started the PyTorch engine first, or the "
				+ "environment sets " + LibtorchChoice.LIBRARY_PATH + " or " + LibtorchChoice.FLAVOR + " to an empty value";
		}
		return c.reason();
	}

	private static String loadedFolder() {
		try {
			return LibUtils.getLibtorchPath();
		} catch (RuntimeException e) {
			return null;
		}
	}

	/** Where DJL keeps unpacked native libraries. */
	public static Path cacheDir() {
		return Utils.getEngineCacheDir("pytorch");
	}

	private static void setIfAbsent(String key, String environment, String value) {
		if (System.getProperty(key) == null && (environment == null || System.getenv(environment) == null)) {
			System.setProperty(key, value);
		}
	}

	private static String rootMessage(Throwable t) {
		Throwable r = t;
		while (r.getCause() != null && r.getCause() != r) r = r.getCause();
		return r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
	}
}
