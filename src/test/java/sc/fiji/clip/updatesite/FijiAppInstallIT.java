package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: the update site built from the packaged plugin jar installs into a folder laid out like {@code Fiji.app},
 * and a SciJava context on Fiji's launcher class path (nothing from this build's class path) finds the commands.
 * Runs in {@code mvn verify} (failsafe) after {@code package}; the pom passes the packaged jar, the local repository
 * and the dependency class path files written by {@code maven-dependency-plugin:build-classpath}.
 */
class FijiAppInstallIT {

	static final List<String> MENU_PATHS = List.of("Plugins>CLIP>Train CLIP Model...",
		"Plugins>CLIP>Label Images...", "Plugins>CLIP>Color from Text...", "Plugins>CLIP>Model Info...",
		"Plugins>CLIP>Set Up GPU...");

	@TempDir
	Path tmp;

	/** Removes the links to the local repository before JUnit deletes the temp folder (it warns about each). */
	@AfterEach
	void removeLinks() throws IOException {
		Path deps = tmp.resolve("dependencies");
		if (!Files.isDirectory(deps)) return;
		try (Stream<Path> files = Files.walk(deps)) {
			for (Path link : files.filter(Files::isSymbolicLink).collect(Collectors.toList()))
				Files.delete(link);
		}
	}

	@Test
	void builtSiteInstallsIntoFijiAppAndSciJavaFindsTheCommands() throws Exception {
		Path pluginJar = Paths.get(property("plugin.jar"));
		Path localRepository = Paths.get(property("maven.repo.local.path")).toAbsolutePath().normalize();
		List<Path> runtime = readClassPath(Paths.get(property("classpath.runtime")));
		List<Path> provided = readClassPath(Paths.get(property("classpath.provided")));
		assertTrue(Files.isRegularFile(pluginJar), "packaged jar missing: " + pluginJar);

		// 1. the runtime dependencies in repository layout (links to the local repository, with their POMs)
		Path deps = tmp.resolve("dependencies");
		for (Path jar : runtime) {
			Path abs = jar.toAbsolutePath().normalize();
			assertTrue(abs.startsWith(localRepository), jar + " is not in the local repository " + localRepository);
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
		config.fijiShips = UpdateSiteBuilder.readArtifactList(Paths.get(property("fiji.ships")));
		config.output = tmp.resolve("site");
		UpdateSiteBuilder.Result result = UpdateSiteBuilder.build(config);
		assertTrue(Files.isRegularFile(config.output.resolve("db.xml.gz")));

		// 2. install like the updater, then add what Fiji ships itself
		Path app = tmp.resolve("Fiji.app");
		List<Path> installed = UpdateSiteInstaller.install(config.output, app, "linux64", true);
		Set<String> names = installed.stream().map(p -> app.relativize(p).toString().replace('\\', '/'))
			.collect(Collectors.toCollection(TreeSet::new));
		assertTrue(names.contains("jars/" + pluginJar.getFileName()), names.toString());
		assertTrue(names.stream().anyMatch(n -> n.startsWith("jars/pytorch-engine-")), names.toString());
		assertTrue(names.stream().anyMatch(n -> n.startsWith("jars/linux64/pytorch-native-cpu-")), names.toString());
		assertFalse(names.stream().anyMatch(n -> n.contains("scijava-common") || n.contains("gson")), names
			.toString());
		Set<Path> fiji = new LinkedHashSet<>(provided);
		for (MavenJar jar : result.excluded)
			fiji.add(jar.jar);
		UpdateSiteInstaller.addJars(app, fiji);

		// 3. a fresh class loader over Fiji's launcher class path; nothing from this build leaks in
		List<Path> classPath = UpdateSiteInstaller.classPath(app);
		URL[] urls = new URL[classPath.size()];
		for (int i = 0; i < urls.length; i++)
			urls[i] = classPath.get(i).toUri().toURL();
		Path jars = app.resolve("jars").toRealPath();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader("Fiji.app", urls, ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(loader);
			Class<?> contextClass = Class.forName("org.scijava.Context", true, loader);
			assertJar(contextClass, jars, "scijava-common-");
			Class<?> commandService = Class.forName("org.scijava.command.CommandService", true, loader);
			Object context = contextClass.getConstructor(Class[].class).newInstance((Object) new Class<?>[] {
				commandService });
			try {
				Object service = contextClass.getMethod("service", Class.class).invoke(context, commandService);
				List<?> commands = (List<?>) commandService.getMethod("getCommands").invoke(service);
				Map<String, String> byMenu = new LinkedHashMap<>();
				for (Object info : commands) {
					Object menuPath = info.getClass().getMethod("getMenuPath").invoke(info);
					String menu = menuPath == null ? "" : ((String) menuPath.getClass().getMethod("getMenuString")
						.invoke(menuPath)).replaceAll("\\s*>\\s*", ">");
					String className = (String) info.getClass().getMethod("getClassName").invoke(info);
					byMenu.put(menu, className);
				}
				for (String menu : MENU_PATHS) {
					String className = byMenu.get(menu);
					assertTrue(className != null, "no command at " + menu + " among " + new TreeSet<>(byMenu.keySet()));
					Class<?> command = Class.forName(className, false, loader);
					assertEquals(loader, command.getClassLoader(), className);
					assertJar(command, jars, "fiji-clip-");
				}
				System.out.println("[FijiAppInstallIT] " + installed.size() + " files installed, " + classPath.size() +
					" jars on the class path, " + commands.size() + " commands, CLIP: " + MENU_PATHS);
			}
			finally {
				Method dispose = contextClass.getMethod("dispose");
				dispose.invoke(context);
			}
			// the PyTorch engine is there (not started: that would unpack libtorch)
			Class<?> engine = Class.forName("ai.djl.pytorch.engine.PtEngine", false, loader);
			assertJar(engine, jars, "pytorch-engine-");
			assertJar(Class.forName("ai.djl.engine.Engine", false, loader), jars, "api-");
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static void assertJar(Class<?> c, Path jars, String prefix) throws Exception {
		URL location = c.getProtectionDomain().getCodeSource().getLocation();
		Path jar = Paths.get(location.toURI()).toRealPath();
		assertEquals(jars, jar.getParent(), c.getName() + " loaded from " + jar);
		String name = jar.getFileName().toString();
		assertTrue(name.startsWith(prefix) && name.endsWith(".jar"), c.getName() + " loaded from " + jar);
	}

	private static String property(String name) {
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
