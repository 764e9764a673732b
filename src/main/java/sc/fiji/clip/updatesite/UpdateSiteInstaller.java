package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import sc.fiji.clip.updatesite.DbXml.Plugin;

/**
 * Installs an update site into a folder laid out like {@code Fiji.app}, as the updater would: every current file of
 * {@code db.xml.gz} whose platforms include the target platform is fetched from {@code <filename>-<timestamp>} and
 * written to {@code <app>/<filename>} (its versioned name, e.g. {@code jars/fiji-clip-0.1.0.jar} or
 * {@code jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar}), other versions of the same file are removed, and
 * size and checksum are verified like the updater's {@code Installer.verify}. Meant for tests that start a SciJava
 * context on {@link #classPath(Path)}; {@link #addJars} supplies the jars Fiji itself would have.
 */
public final class UpdateSiteInstaller {

	private UpdateSiteInstaller() {}

	/** Installs for the platform of the running JVM, verifying checksums. */
	public static List<Path> install(Path site, Path app) throws IOException {
		return install(site, app, FijiPlatform.current(), true);
	}

	/**
	 * Installs {@code site} into {@code app} for {@code platform} (e.g. {@code linux64}).
	 *
	 * @param verifyChecksums also check the updater checksum of each file (reads every jar entry: seconds for the
	 *        PyTorch native jar); sizes are always checked
	 * @return the installed files
	 */
	public static List<Path> install(Path site, Path app, String platform, boolean verifyChecksums)
		throws IOException
	{
		Path root = app.toAbsolutePath().normalize();
		List<Path> installed = new ArrayList<>();
		for (Plugin p : DbXml.read(site.resolve("db.xml.gz"))) {
			if (p.version == null || !FijiPlatform.matches(platform, p.platforms)) continue;
			Path source = site.resolve(p.siteFilename());
			if (!Files.isRegularFile(source)) throw new IOException("the site lacks " + p.siteFilename() +
				" (a file kept from an earlier upload is not in a site built with --previous)");
			Path target = root.resolve(p.filename).normalize();
			if (!target.startsWith(root)) throw new IOException("file name leaves the Fiji folder: " + p.filename);
			Files.createDirectories(target.getParent());
			removeOtherVersions(target, p.unversioned());
			Path part = target.resolveSibling(target.getFileName() + ".part");
			Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
			try {
				verify(p, part, verifyChecksums);
			}
			catch (IOException e) {
				Files.delete(part);
				throw e;
			}
			Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
			installed.add(target);
		}
		return installed;
	}

	private static void verify(Plugin p, Path file, boolean checksum) throws IOException {
		long size = Files.size(file);
		if (size != p.version.filesize) throw new IOException("incorrect file size for " + p.filename + ": " + size +
			" (expected " + p.version.filesize + ")");
		if (!checksum) return;
		String actual = UpdaterChecksum.of(p.filename, file);
		if (!actual.equals(p.version.checksum)) throw new IOException("incorrect checksum for " + p.filename + ": " +
			actual + " (expected " + p.version.checksum + ")");
	}

	/** Deletes files next to {@code target} that the updater takes for other versions of it. */
	private static void removeOtherVersions(Path target, String unversioned) throws IOException {
		String dir = unversioned.contains("/") ? unversioned.substring(0, unversioned.lastIndexOf('/') + 1) : "";
		try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent())) {
			for (Path sibling : siblings) {
				if (sibling.equals(target) || !Files.isRegularFile(sibling)) continue;
				if (VersionedName.unversioned(dir + sibling.getFileName()).equals(unversioned)) Files.delete(sibling);
			}
		}
	}

	/** Copies jars into {@code <app>/jars/} under their own names, standing in for what Fiji ships. */
	public static List<Path> addJars(Path app, Collection<Path> jars) throws IOException {
		Path dir = Files.createDirectories(app.resolve("jars"));
		List<Path> added = new ArrayList<>();
		for (Path jar : jars) {
			if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) continue;
			Path target = dir.resolve(jar.getFileName().toString());
			Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
			added.add(target);
		}
		return added;
	}

	/**
	 * The class path Fiji's launcher builds: {@code jars/*.jar}, {@code jars/*}{@code /*.jar},
	 * {@code plugins/*.jar}, {@code plugins/*}{@code /*.jar}, sorted.
	 */
	public static List<Path> classPath(Path app) throws IOException {
		List<Path> result = new ArrayList<>();
		for (String dir : new String[] { "jars", "plugins" }) {
			Path base = app.resolve(dir);
			if (!Files.isDirectory(base)) continue;
			try (Stream<Path> files = Files.walk(base, 2)) {
				result.addAll(files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".jar"))
					.sorted().collect(Collectors.toList()));
			}
		}
		return result;
	}
}
