package sc.fiji.clip.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.Properties;
import sc.fiji.clip.ClipException;

/**
 * Whether a {@code pytorch-native-cpu} jar for this platform is on the class path, looked up as DJL's
 * {@code Platform.detectPlatform} does ({@code native/lib/pytorch.properties} with this platform's classifier).
 * Without one, DJL would try to download libtorch, which Fiji CLIP's offline start forbids: this says instead, in
 * one sentence, why there is none and what to do.
 */
public final class BundledLibtorch {

	static final String PROPERTIES = "native/lib/pytorch.properties";

	private BundledLibtorch() {}

	/** Whether {@code loader} sees a native jar for {@code classifier} ({@code linux-x86_64}, {@code osx-aarch64}...). */
	public static boolean present(ClassLoader loader, String classifier) {
		try {
			Enumeration<URL> urls = loader.getResources(PROPERTIES);
			while (urls.hasMoreElements()) {
				Properties p = new Properties();
				try (InputStream in = urls.nextElement().openStream()) {
					p.load(in);
				}
				if (classifier.equals(p.getProperty("classifier"))) return true;
			}
			return false;
		} catch (IOException e) {
			return false;
		}
	}

	/** Throws the explanation for this platform if no native jar for {@code classifier} is on the class path. */
	public static void require(ClassLoader loader, String classifier) {
		if (!present(loader, classifier)) throw new ClipException(missing(classifier));
	}

	/** Why there is no libtorch for {@code classifier}, and what to do. */
	static String missing(String classifier) {
		String pathAdvice = " set " + LibtorchChoice.LIBRARY_PATH + " to a folder holding libtorch "
			+ LibtorchBuild.current().version() + " for this machine and DJL's JNI library built for it, before Fiji starts.";
		if (classifier.equals("osx-x86_64")) {
			return "PyTorch cannot start on this Mac: DJL ships no libtorch for macOS on Intel (x86_64) since DJL 0.30 "
				+ "(PyTorch itself none since 2.2), so use a Mac with Apple silicon, Windows or Linux, or" + pathAdvice;
		}
		return "PyTorch cannot start: no pytorch-native-cpu jar for this platform (" + classifier + ") is installed; the "
			+ "Fiji CLIP update site ships them for linux64, linux-arm64, win64 and macos-arm64 (in jars/<platform>/; run "
			+ "Help > Update... if yours is one of them), otherwise" + pathAdvice;
	}
}
