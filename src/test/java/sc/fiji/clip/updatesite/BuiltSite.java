package sc.fiji.clip.updatesite;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The update site as {@code mvn -Pupdate-site package} builds it, made by the integration tests from what the pom
 * passes them: the packaged plugin jar, the runtime class path (linked into repository layout from the local
 * repository, with the POMs) and the native jars of every platform.
 */
final class BuiltSite {

	final Path folder;
	final UpdateSiteBuilder.Result result;
	final Path pluginJar;
	private final List<Path> provided;

	private BuiltSite(Path folder, UpdateSiteBuilder.Result result, Path pluginJar, List<Path> provided) {
		this.folder = folder;
		this.result = result;
		this.pluginJar = pluginJar;
		this.provided = provided;
	}

	/** Builds the site into {@code tmp/site}; {@code tmp/dependencies} holds links only (see {@link #removeLinks}). */
	static BuiltSite build(Path tmp) throws IOException {
		Path pluginJar = Paths.get(property("plugin.jar"));
		if (!Files.isRegularFile(pluginJar)) throw new IllegalStateException("packaged jar missing: " + pluginJar);
		Path localRepository = Paths.get(property("maven.repo.local.path")).toAbsolutePath().normalize();
		Path deps = tmp.resolve("dependencies");
		for (Path jar : readClassPath(Paths.get(property("classpath.runtime")))) {
			Path abs = jar.toAbsolutePath().normalize();
			if (!abs.startsWith(localRepository)) throw new IllegalStateException(jar + " is not in the local " +
				"repository " + localRepository);
			Path dir = Files.createDirectories(deps.resolve(localRepository.relativize(abs.getParent()).toString()));
			Files.createSymbolicLink(dir.resolve(abs.getFileName().toString()), abs);
			try (Stream<Path> siblings = Files.list(abs.getParent())) {
				for (Path pom : siblings.filter(p -> p.getFileName().toString().endsWith(".pom"))
					.collect(Collectors.toList()))
					Files.createSymbolicLink(dir.resolve(pom.getFileName().toString()), pom);
			}
		}
		UpdateSiteBuilder.Config config = new UpdateSiteBuilder.Config();
		config.pluginJar = pluginJar;
		config.dependencies = deps;
		config.natives = Paths.get(property("natives.directory"));
		config.fijiShips = UpdateSiteBuilder.readArtifactList(Paths.get(property("fiji.ships")));
		config.output = tmp.resolve("site");
		UpdateSiteBuilder.Result result = UpdateSiteBuilder.build(config);
		return new BuiltSite(config.output, result, pluginJar,
			readClassPath(Paths.get(property("classpath.provided"))));
	}

	/** Installs the site into {@code app} for {@code platform} as the updater would, plus the jars Fiji ships. */
	List<Path> install(Path app, String platform) throws IOException {
		List<Path> installed = UpdateSiteInstaller.install(folder, app, platform, true);
		Set<Path> fiji = new LinkedHashSet<>(provided);
		for (MavenJar jar : result.excluded)
			fiji.add(jar.jar);
		UpdateSiteInstaller.addJars(app, fiji);
		return installed;
	}

	/** The platforms the site has files for. */
	Set<String> platforms() {
		Set<String> platforms = new LinkedHashSet<>();
		result.plugins.forEach(p -> platforms.addAll(p.platforms));
		return platforms;
	}

	/** Deletes the links into the local repository before JUnit deletes {@code tmp} (it warns about each). */
	static void removeLinks(Path tmp) throws IOException {
		Path deps = tmp.resolve("dependencies");
		if (!Files.isDirectory(deps)) return;
		try (Stream<Path> files = Files.walk(deps)) {
			for (Path link : files.filter(Files::isSymbolicLink).collect(Collectors.toList()))
				Files.delete(link);
		}
	}

	static String property(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) throw new IllegalStateException("system property " + name +
			" is not set (run with mvn verify)");
		return value;
	}

	private static List<Path> readClassPath(Path file) throws IOException {
		List<Path> result = new ArrayList<>();
		for (String entry : Files.readString(file).trim().split(File.pathSeparator))
			if (!entry.isBlank()) result.add(Paths.get(entry.trim()));
		return result;
	}
}
