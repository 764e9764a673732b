package sc.fiji.clip.engine;

import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import sc.fiji.clip.ClipException;

/**
 * Which libtorch the engine loads, and why, decided before it starts: a folder named by {@code PYTORCH_LIBRARY_PATH};
 * else a CUDA libtorch set up by {@link GpuSetup} when a CUDA GPU is visible (or {@code PYTORCH_FLAVOR} names it);
 * else the CPU libtorch of the {@code pytorch-native-cpu} jar, with no network. DJL itself never picks a downloaded
 * flavour while that jar is on the class path, so a chosen folder is handed to it as {@code PYTORCH_LIBRARY_PATH}
 * (with {@code PYTORCH_FLAVOR}, which names the JNI library it needs).
 */
public final class LibtorchChoice {

	public static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
	public static final String FLAVOR = "PYTORCH_FLAVOR";
	/** The CUDA flavour DJL 0.35.1 publishes for libtorch 2.7.1, and whose JNI library the pytorch-jni jar holds. */
	public static final String CUDA_FLAVOR = "cu128";

	/** Where the libtorch comes from. */
	public enum Source {
		/** The CPU libtorch in the pytorch-native-cpu jar, unpacked to DJL's cache. */
		JAR,
		/** A CUDA libtorch that {@link GpuSetup} put into DJL's cache. */
		SET_UP,
		/** The folder {@code PYTORCH_LIBRARY_PATH} names. */
		LIBRARY_PATH
	}

	private final Source source;
	private final String flavor;
	private final Path folder;
	private final String reason;
	private final Map<String, String> properties;

	private LibtorchChoice(Source source, String flavor, Path folder, String reason, Map<String, String> properties) {
		this.source = source;
		this.flavor = flavor;
		this.folder = folder;
		this.reason = reason;
		this.properties = Collections.unmodifiableMap(properties);
	}

	/** Chooses from the facts; a {@code PYTORCH_LIBRARY_PATH} without libtorch is a clear error. */
	public static LibtorchChoice choose(Facts f) {
		String path = f.setting(LIBRARY_PATH);
		String asked = f.setting(FLAVOR);
		Map<String, String> props = new LinkedHashMap<>();
		if (path != null) {
			if (f.libraryPath == null) {
				throw new ClipException(LIBRARY_PATH + "=" + path + " holds no " + f.build.torchLibrary() + ". Point it at the "
					+ "folder with " + f.build.torchLibrary() + " of libtorch " + f.build.version() + " (for a pip install of PyTorch "
					+ f.build.version() + ": the torch/lib folder in site-packages), or unset it to use the CPU libtorch of the "
					+ "pytorch-native-cpu jar.");
			}
			String flavor = asked;
			if (flavor == null) {
				flavor = f.libraryPathCuda ? CUDA_FLAVOR : "cpu";
				props.put(FLAVOR, flavor);
			}
			StringBuilder why = new StringBuilder(LIBRARY_PATH + " is set");
			if (f.libraryPathVersion != null) {
				why.append("; PyTorch ").append(f.libraryPathVersion).append(" beside it");
				if (!f.libraryPathVersion.startsWith(f.build.version())) {
					why.append(" (Fiji CLIP's JNI library is built for ").append(f.build.version()).append(": expect load errors)");
				}
			}
			why.append(gpuNote(f, flavor.startsWith("cu")));
			return new LibtorchChoice(Source.LIBRARY_PATH, flavor, f.libraryPath, why.toString(), props);
		}
		if (asked != null && asked.startsWith("cpu")) {
			return jar(FLAVOR + "=" + asked + (f.setUp.isEmpty() ? "" : "; the " + String.join(", ", f.setUp)
				+ " libtorch set up in " + f.build.folder(f.cacheDir, f.setUp.get(0)) + " is not used"));
		}
		if (asked != null && asked.startsWith("cu")) {
			if (f.setUp.contains(asked)) return setUp(f, asked, FLAVOR + "=" + asked + ", set up by gpu-setup");
			return jar(FLAVOR + "=" + asked + ", but no " + asked + " libtorch is set up in " + f.build.folder(f.cacheDir, asked)
				+ ": run gpu-setup --flavor " + asked + " (Fiji: Plugins>CLIP>Set Up GPU...) or set " + LIBRARY_PATH);
		}
		if (!f.setUp.isEmpty()) {
			String flavor = f.setUp.get(0);
			if (f.gpus > 0) return setUp(f, flavor, "set up by gpu-setup");
			return jar(noGpu(f) + "; the " + flavor + " libtorch set up in " + f.build.folder(f.cacheDir, flavor)
				+ " is used when one is");
		}
		if (f.gpus > 0) {
			return jar(plural(f.gpus, "CUDA GPU") + " visible, but no CUDA libtorch is set up: run gpu-setup (Fiji: "
				+ "Plugins>CLIP>Set Up GPU...) or set " + LIBRARY_PATH);
		}
		return jar(noGpu(f));
	}

	/** Observes the facts on this machine: settings, GPUs, DJL's cache. */
	public static Facts observe(LibtorchBuild build, Path cacheDir) {
		return observe(build, cacheDir, Utils::getEnvOrSystemProperty, cudaGpuCount(), driverGpuCount());
	}

	/** Observes the files for {@code settings} (name to env-or-property value) with the GPU counts given. */
	static Facts observe(LibtorchBuild build, Path cacheDir, Function<String, String> settings, int gpus, int driverGpus) {
		Map<String, String> s = new LinkedHashMap<>();
		for (String name : new String[] { LIBRARY_PATH, FLAVOR }) {
			String v = settings.apply(name);
			if (v != null && !v.isEmpty()) s.put(name, v);
		}
		Path libraryPath = s.containsKey(LIBRARY_PATH) ? findLibtorch(s.get(LIBRARY_PATH), build) : null;
		return new Facts(build, cacheDir, s, gpus, driverGpus, setUpFlavors(build, cacheDir), libraryPath,
			libraryPath != null && Files.exists(libraryPath.resolve(build.cudaLibrary())),
			libraryPath != null ? pytorchVersionBeside(libraryPath) : null);
	}

	/** CUDA flavours with a complete folder (libtorch and the JNI library) in DJL's cache, highest first. */
	static List<String> setUpFlavors(LibtorchBuild build, Path cacheDir) {
		Pattern name = Pattern.compile(Pattern.quote(build.version() + "-") + "(cu\\d{3})" + Pattern.quote("-" + build.classifier()));
		List<String> flavors = new ArrayList<>();
		if (!Files.isDirectory(cacheDir)) return flavors;
		try (Stream<Path> dirs = Files.list(cacheDir)) {
			dirs.forEach(d -> {
				Matcher m = name.matcher(d.getFileName().toString());
				if (m.matches() && isComplete(build, d)) flavors.add(m.group(1));
			});
		} catch (IOException e) {
			return flavors;
		}
		flavors.sort(Comparator.reverseOrder());
		return flavors;
	}

	/** Whether {@code folder} holds libtorch and the JNI library, as {@link GpuSetup} leaves it. */
	static boolean isComplete(LibtorchBuild build, Path folder) {
		return Files.isRegularFile(folder.resolve(build.torchLibrary())) && Files.isRegularFile(folder.resolve(build.jniFileName()));
	}

	/** DJL's reading of {@code PYTORCH_LIBRARY_PATH}: the first entry that is libtorch or a folder holding it. */
	static Path findLibtorch(String value, LibtorchBuild build) {
		for (String entry : value.split(File.pathSeparator)) {
			if (entry.isEmpty()) continue;
			Path p = Paths.get(entry).toAbsolutePath();
			if (Files.isRegularFile(p) && p.getFileName().toString().equals(build.torchLibrary())) return p.getParent();
			if (Files.isRegularFile(p.resolve(build.torchLibrary()))) return p;
		}
		return null;
	}

	/** The PyTorch version of a pip install ({@code ../version.py}) or a libtorch zip ({@code ../build-version}). */
	static String pytorchVersionBeside(Path lib) {
		Path parent = lib.getParent();
		if (parent == null) return null;
		try {
			Path pip = parent.resolve("version.py");
			if (Files.isRegularFile(pip)) {
				Matcher m = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]").matcher(Files.readString(pip, StandardCharsets.UTF_8));
				if (m.find()) return m.group(1);
			}
			Path zip = parent.resolve("build-version");
			if (Files.isRegularFile(zip)) return Files.readString(zip, StandardCharsets.UTF_8).trim();
		} catch (IOException | RuntimeException e) {
			return null;
		}
		return null;
	}

	/** CUDA GPUs visible to CUDA's runtime, as DJL counts them (0 when libcudart is not found). */
	static int cudaGpuCount() {
		try {
			return CudaUtils.getGpuCount();
		} catch (RuntimeException | LinkageError e) {
			return 0;
		}
	}

	/** GPUs the NVIDIA driver lists on Linux ({@code /proc/driver/nvidia/gpus}), or -1 when unknown. */
	static int driverGpuCount() {
		Path gpus = Paths.get("/proc/driver/nvidia/gpus");
		if (!Files.isDirectory(gpus)) return -1;
		try (Stream<Path> list = Files.list(gpus)) {
			return (int) list.count();
		} catch (IOException e) {
			return -1;
		}
	}

	private static LibtorchChoice jar(String reason) {
		return new LibtorchChoice(Source.JAR, "cpu", null, reason, new LinkedHashMap<>());
	}

	private static LibtorchChoice setUp(Facts f, String flavor, String reason) {
		Path folder = f.build.folder(f.cacheDir, flavor);
		Map<String, String> props = new LinkedHashMap<>();
		props.put(LIBRARY_PATH, folder.toString());
		props.put(FLAVOR, flavor);
		return new LibtorchChoice(Source.SET_UP, flavor, folder, reason + gpuNote(f, true), props);
	}

	private static String gpuNote(Facts f, boolean cuda) {
		if (!cuda) return "";
		return f.gpus > 0 ? "; " + plural(f.gpus, "CUDA GPU") + " visible" : "; " + noGpu(f) + ", so tensors stay on the CPU";
	}

	private static String noGpu(Facts f) {
		if (f.driverGpus > 0) {
			return "no CUDA GPU visible to CUDA's runtime, though the NVIDIA driver lists " + f.driverGpus + ": DJL finds GPUs "
				+ "through libcudart, so install the CUDA 12 runtime or add the folder holding libcudart.so to LD_LIBRARY_PATH";
		}
		return "no CUDA GPU visible";
	}

	private static String plural(int n, String what) {
		return n + " " + what + (n == 1 ? "" : "s");
	}

	/** Sets the chosen {@code PYTORCH_*} values as system properties where neither environment nor property has one. */
	public void apply() {
		properties.forEach((key, value) -> {
			if (System.getenv(key) == null && System.getProperty(key) == null) System.setProperty(key, value);
		});
	}

	public Source source() {
		return source;
	}

	/** {@code cpu}, {@code cu128}... */
	public String flavor() {
		return flavor;
	}

	/** The chosen folder; {@code null} for the jar (DJL unpacks it to its cache). */
	public Path folder() {
		return folder;
	}

	/** Why this libtorch, for {@code info} and errors. */
	public String reason() {
		return reason;
	}

	/** The {@code PYTORCH_*} system properties {@link #apply()} sets for DJL. */
	public Map<String, String> properties() {
		return properties;
	}

	/** What is loaded from where: {@code 2.7.1 cu128 in /home/me/.djl.ai/pytorch/2.7.1-cu128-linux-x86_64}. */
	public String describe(String version, String loadedFolder) {
		switch (source) {
			case SET_UP:
				return version + " " + flavor + " in " + loadedFolder;
			case LIBRARY_PATH:
				return version + " " + flavor + " from " + LIBRARY_PATH + "=" + loadedFolder;
			default:
				return version + " cpu from the pytorch-native-cpu jar" + (loadedFolder != null ? ", unpacked in " + loadedFolder : "");
		}
	}

	@Override
	public String toString() {
		return source + " " + flavor + (folder != null ? " " + folder : "") + ": " + reason;
	}

	/** What the choice depends on, observed once before the engine starts. */
	public static final class Facts {

		final LibtorchBuild build;
		final Path cacheDir;
		final Map<String, String> settings;
		final int gpus;
		final int driverGpus;
		final List<String> setUp;
		final Path libraryPath;
		final boolean libraryPathCuda;
		final String libraryPathVersion;

		/**
		 * @param settings {@code PYTORCH_LIBRARY_PATH} and {@code PYTORCH_FLAVOR} where set (environment or property)
		 * @param gpus CUDA GPUs CUDA's runtime sees
		 * @param driverGpus GPUs the NVIDIA driver lists, -1 when unknown
		 * @param setUp CUDA flavours set up in {@code cacheDir}, highest first
		 * @param libraryPath the folder of {@code PYTORCH_LIBRARY_PATH} holding libtorch, or {@code null}
		 * @param libraryPathCuda whether that folder holds a CUDA build
		 * @param libraryPathVersion the PyTorch version found beside it, or {@code null}
		 */
		Facts(LibtorchBuild build, Path cacheDir, Map<String, String> settings, int gpus, int driverGpus, List<String> setUp,
			Path libraryPath, boolean libraryPathCuda, String libraryPathVersion) {
			this.build = build;
			this.cacheDir = cacheDir;
			this.settings = settings;
			this.gpus = gpus;
			this.driverGpus = driverGpus;
			this.setUp = setUp;
			this.libraryPath = libraryPath;
			this.libraryPathCuda = libraryPathCuda;
			this.libraryPathVersion = libraryPathVersion;
		}

		String setting(String name) {
			return settings.get(name);
		}

		/** CUDA GPUs visible to CUDA's runtime. */
		public int gpus() {
			return gpus;
		}
	}
}
