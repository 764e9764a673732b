package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A jar found in a folder with Maven's repository layout ({@code group/dirs/artifactId/version/file.jar}), as
 * written by {@code maven-dependency-plugin:copy-dependencies} with {@code useRepositoryLayout=true} (and
 * {@code copyPom=true}, which puts the artifact's POM next to it).
 */
public final class MavenJar {

	private static final Pattern TIMESTAMPED_SNAPSHOT = Pattern.compile("\\d{8}\\.\\d{6}-\\d+");

	public final String groupId;
	public final String artifactId;
	public final String version;
	/** The classifier, or {@code null}. */
	public final String classifier;
	public final Path jar;
	/** The artifact's POM next to the jar, or {@code null}. */
	public final Path pom;

	public MavenJar(String groupId, String artifactId, String version, String classifier, Path jar, Path pom) {
		this.groupId = groupId;
		this.artifactId = artifactId;
		this.version = version;
		this.classifier = classifier;
		this.jar = jar;
		this.pom = pom;
	}

	/** {@code groupId:artifactId}, the key of the list of jars Fiji ships. */
	public String key() {
		return groupId + ":" + artifactId;
	}

	/** File name in Fiji: {@code artifactId-version[-classifier].jar}, as populate-app and the updater name it. */
	public String fileName() {
		return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
	}

	/** The Fiji platform of a native jar, or {@code null} for a jar that is for all platforms. */
	public String platform() {
		return FijiPlatform.forClassifier(classifier);
	}

	/**
	 * Path of this jar in Fiji.app: {@code jars/[<platform>/]<fileName()>}. A native jar whose classifier hides the
	 * version from the updater (e.g. {@code -2.7.1-win-x86_64}: the updater would never replace it by a newer
	 * version) goes into its platform folder without the classifier, which the folder already says.
	 */
	public String fijiPath() {
		String platform = platform();
		String dir = "jars/" + (platform == null ? "" : platform + "/");
		String path = dir + fileName();
		if (platform != null && VersionedName.unversioned(path).equals(path)) path = dir + artifactId + "-" + version +
			".jar";
		return path;
	}

	@Override
	public String toString() {
		return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
	}

	/** All jars under {@code root}, sorted by path. */
	public static List<MavenJar> scan(Path root) throws IOException {
		if (!Files.isDirectory(root)) throw new IOException("not a folder: " + root);
		List<Path> jars;
		try (Stream<Path> files = Files.walk(root)) {
			jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
				.sorted().collect(Collectors.toList());
		}
		List<MavenJar> result = new ArrayList<>();
		for (Path jar : jars)
			result.add(parse(root, jar));
		return result;
	}

	/** Reads the coordinates of {@code jar} from its path below {@code root}. */
	public static MavenJar parse(Path root, Path jar) throws IOException {
		Path rel = root.relativize(jar);
		int n = rel.getNameCount();
		if (n < 4) throw new IOException("not in Maven repository layout (group/artifact/version/file): " + rel);
		String file = rel.getName(n - 1).toString();
		String version = rel.getName(n - 2).toString();
		String artifactId = rel.getName(n - 3).toString();
		List<String> group = new ArrayList<>();
		for (int i = 0; i < n - 3; i++)
			group.add(rel.getName(i).toString());
		String groupId = String.join(".", group);

		String stem = file.substring(0, file.length() - ".jar".length());
		String prefix = artifactId + "-" + version;
		String rest;
		if (stem.equals(prefix) || stem.startsWith(prefix + "-")) rest = stem.substring(prefix.length());
		else if (version.endsWith("-SNAPSHOT")) {
			// a timestamped snapshot: artifactId-1.0-20260101.120000-3[-classifier]
			String base = artifactId + "-" + version.substring(0, version.length() - "SNAPSHOT".length());
			Matcher m = TIMESTAMPED_SNAPSHOT.matcher(stem);
			if (!stem.startsWith(base) || !m.region(base.length(), stem.length()).lookingAt()) throw new IOException(
				"jar name does not match its version folder: " + rel);
			version = stem.substring(artifactId.length() + 1, m.end());
			rest = stem.substring(m.end());
		}
		else throw new IOException("jar name does not match its version folder: " + rel);
		String classifier = rest.isEmpty() ? null : rest.substring(1);
		if (classifier != null && classifier.isEmpty()) throw new IOException("empty classifier: " + rel);

		Path pom = null;
		try (Stream<Path> siblings = Files.list(jar.getParent())) {
			pom = siblings.filter(p -> p.getFileName().toString().endsWith(".pom")).sorted().findFirst().orElse(null);
		}
		return new MavenJar(groupId, artifactId, version, classifier, jar, pom);
	}
}
