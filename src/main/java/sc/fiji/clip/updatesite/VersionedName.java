package sc.fiji.clip.updatesite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the ImageJ updater identifies a file across versions.
 * <p>
 * {@code db.xml.gz} stores each file under its versioned name ({@code jars/api-0.35.1.jar}), which is also the name
 * the file is installed under in Fiji.app; the update site serves it as {@code <versioned name>-<timestamp>}. The
 * updater's {@code FilesCollection} keys files by the name with the version removed ({@code jars/api.jar}), using
 * {@code org.scijava.util.FileUtils.stripFilenameVersion}; a new version of a file replaces the file whose
 * unversioned name is the same, and {@code <dependency filename>} holds the unversioned name. This class applies the
 * same pattern (scijava-common 2.100): a version starts with a digit after a '-', the name must end in {@code .jar}
 * (optionally followed by {@code -suffix}), and a known classifier such as {@code linux-x86_64} is kept.
 */
public final class VersionedName {

	private static final Pattern PATTERN = build();

	private VersionedName() {}

	private static Pattern build() {
		String version = "\\d+(\\.\\d+|\\d{7})+[a-z]?\\d?(-[A-Za-z0-9.]+?|\\.GA)*?";
		String classifier = "(swing|swt|shaded|sources|javadoc|natives?-?\\w*|" +
			"(natives-)?(android|linux|macosx|macos|solaris|windows)-" +
			"(aarch64|amd64|arm64|armv6hf|armv6|arm|i386|i486|i586|i686|universal|x86[_-]32|x86[_-]64|x86))";
		String suffix = "\\.jar(-[a-z]*)?";
		// groups: 1 = base name, 2 = "-version", 5 = "-classifier" and suffix
		return Pattern.compile("(.+?)(-" + version + ")?((-" + classifier + ")?(" + suffix + "))");
	}

	/** The updater's key for a file: {@code jars/pytorch-jni-2.7.1-0.35.1.jar} becomes {@code jars/pytorch-jni.jar}. */
	public static String unversioned(String filename) {
		Matcher m = PATTERN.matcher(filename);
		return m.matches() ? m.group(1) + m.group(5) : filename;
	}

	/** Whether two file names denote the same file for the updater. */
	public static boolean sameFile(String a, String b) {
		return unversioned(a).equals(unversioned(b));
	}
}
