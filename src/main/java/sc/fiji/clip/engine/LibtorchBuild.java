package sc.fiji.clip.engine;

import ai.djl.util.Platform;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libtorch build DJL's PyTorch engine expects here: libtorch version ({@code 2.7.1}), DJL version of the JNI
 * library ({@code 0.35.1}) and platform ({@code linux-x86_64}); and DJL's names for its files and cache folders.
 */
public final class LibtorchBuild {

	private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(-.*)?");

	private final String version;
	private final String djlVersion;
	private final String classifier;
	private final String os;

	/** A build for the given libtorch version, DJL version, platform ({@code linux-x86_64}) and OS prefix. */
	public LibtorchBuild(String version, String djlVersion, String classifier) {
		Matcher m = VERSION.matcher(Objects.requireNonNull(version));
		this.version = m.matches() ? m.group(1) : version;
		this.djlVersion = Objects.requireNonNull(djlVersion);
		this.classifier = Objects.requireNonNull(classifier);
		this.os = classifier.substring(0, Math.max(0, classifier.indexOf('-')));
	}

	/** The build of the engine on the class path, for this machine ({@code pytorch-engine.properties}). */
	public static LibtorchBuild current() {
		Platform p = Platform.fromSystem("pytorch");
		return new LibtorchBuild(p.getVersion(), p.getApiVersion(), p.getClassifier());
	}

	/** libtorch version, {@code 2.7.1}. */
	public String version() {
		return version;
	}

	/** DJL version the JNI library belongs to, {@code 0.35.1}. */
	public String djlVersion() {
		return djlVersion;
	}

	/** {@code linux-x86_64}, {@code win-x86_64}, {@code osx-aarch64}... */
	public String classifier() {
		return classifier;
	}

	/** The folder DJL gives a downloaded libtorch of this flavour: {@code <cache>/2.7.1-cu128-linux-x86_64}. */
	public Path folder(Path cacheDir, String flavor) {
		return cacheDir.resolve(version + '-' + flavor + '-' + classifier);
	}

	/** libtorch's main library: {@code libtorch.so}, {@code torch.dll}, {@code libtorch.dylib}. */
	public String torchLibrary() {
		return libraryName("torch");
	}

	/** The JNI library's name in the pytorch-jni jar and on publish.djl.ai: {@code libdjl_torch.so}. */
	public String jniLibrary() {
		return libraryName("djl_torch");
	}

	/** The JNI library's name inside a libtorch folder, where DJL looks first: {@code 0.35.1-libdjl_torch.so}. */
	public String jniFileName() {
		return djlVersion + '-' + jniLibrary();
	}

	/** A library of CUDA builds only ({@code libtorch_cuda.so}): tells a CUDA libtorch folder from a CPU one. */
	public String cudaLibrary() {
		return libraryName("torch_cuda");
	}

	private String libraryName(String name) {
		switch (os) {
			case "win":
				return name + ".dll";
			case "osx":
				return "lib" + name + ".dylib";
			default:
				return "lib" + name + ".so";
		}
	}

	@Override
	public String toString() {
		return "libtorch " + version + " (DJL " + djlVersion + ", " + classifier + ")";
	}
}
