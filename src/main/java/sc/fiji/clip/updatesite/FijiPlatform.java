package sc.fiji.clip.updatesite;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * Fiji's platform names and how platform-specific jars are laid out.
 * <p>
 * Fiji keeps native jars in {@code jars/<platform>/} (the scijava-maven-plugin's populate-app puts Maven classifier
 * {@code linux-x86_64} into {@code jars/linux64/}); its launcher puts {@code jars/*.jar} and {@code jars/*}{@code /*.jar}
 * on the class path. The updater records the platforms of a file as {@code <platform>} elements of its
 * {@code <plugin>} record and installs such a file only where one of them is active; a file with no platform is for
 * all platforms. Names as in imagej-updater's {@code Platforms}: {@code linux64}, {@code linux-arm64},
 * {@code macos64}, {@code macos-arm64}, {@code win64}, {@code win-arm64}, plus the groups {@code linuxx},
 * {@code macosx}, {@code winx} that match every architecture of an operating system.
 */
public final class FijiPlatform {

	/** DJL (and common Maven) native classifiers and the Fiji platform each one is for. */
	private static final Map<String, String> CLASSIFIERS = Map.ofEntries(
		Map.entry("linux-x86_64", "linux64"),
		Map.entry("linux-amd64", "linux64"),
		Map.entry("natives-linux-amd64", "linux64"),
		Map.entry("linux-aarch64", "linux-arm64"),
		Map.entry("linux-arm64", "linux-arm64"),
		Map.entry("osx-x86_64", "macos64"),
		Map.entry("macosx-x86_64", "macos64"),
		Map.entry("osx-aarch64", "macos-arm64"),
		Map.entry("macosx-arm64", "macos-arm64"),
		Map.entry("win-x86_64", "win64"),
		Map.entry("windows-x86_64", "win64"),
		Map.entry("windows-amd64", "win64"),
		Map.entry("natives-windows-amd64", "win64"),
		Map.entry("win-aarch64", "win-arm64"),
		Map.entry("windows-arm64", "win-arm64"));

	private FijiPlatform() {}

	/** The Fiji platform a Maven classifier denotes, or {@code null} if the classifier is not platform-specific. */
	public static String forClassifier(String classifier) {
		return classifier == null ? null : CLASSIFIERS.get(classifier);
	}

	/** The platform of the running JVM, named as the updater's {@code Platforms.current()} does. */
	public static String current() {
		String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
		if (os.startsWith("linux")) os = "linux";
		else if (os.startsWith("mac")) os = "macos";
		else if (os.startsWith("win")) os = "win";
		String arch = System.getProperty("os.arch", "");
		switch (arch) {
			case "amd64": case "x64": case "x86-64": case "x86_64":
				return os + "64";
			case "i386": case "i486": case "i586": case "i686": case "x86": case "x86-32": case "x86_32":
				return os + "32";
			case "aarch64":
				return os + "-arm64";
			case "aarch32":
				return os + "-arm32";
			default:
				return os + "-" + arch;
		}
	}

	/**
	 * Whether a file recorded for {@code platforms} is installed on {@code platform}: an empty list means every
	 * platform, and {@code linuxx}/{@code macosx}/{@code winx} match every platform of their operating system.
	 */
	public static boolean matches(String platform, Collection<String> platforms) {
		if (platforms.isEmpty()) return true;
		for (String candidate : platforms) {
			if (candidate.equals(platform)) return true;
			if (candidate.equals("linuxx") && platform.startsWith("linux")) return true;
			if (candidate.equals("macosx") && platform.startsWith("macos")) return true;
			if (candidate.equals("winx") && platform.startsWith("win")) return true;
		}
		return false;
	}
}
