package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import com.google.gson.JsonObject;
import com.google.gson.JsonStreamParser;

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
		BuiltSite.removeLinks(tmp);
	}

	/**
	 * The packaged jar holds SciJava's plugin index with every command: javac 23+ runs annotation processors only
	 * when asked, and without the index Fiji shows no CLIP menu (the pom names the processor explicitly).
	 */
	@Test
	void packagedJarHasThePluginIndexWithEveryClipCommand() throws Exception {
		Path pluginJar = Paths.get(BuiltSite.property("plugin.jar"));
		Set<String> menus = new TreeSet<>();
		try (JarFile jar = new JarFile(pluginJar.toFile())) {
			JarEntry index = jar.getJarEntry("META-INF/json/org.scijava.plugin.Plugin");
			assertTrue(index != null, pluginJar + " has no SciJava plugin index");
			try (Reader in = new InputStreamReader(jar.getInputStream(index), StandardCharsets.UTF_8)) {
				JsonStreamParser records = new JsonStreamParser(in);
				while (records.hasNext()) {
					JsonObject values = records.next().getAsJsonObject().getAsJsonObject("values");
					if (values != null && values.has("menuPath")) menus.add(values.get("menuPath").getAsString());
				}
			}
		}
		assertTrue(menus.containsAll(MENU_PATHS), "index of " + pluginJar + ": " + menus);
	}

	@Test
	void builtSiteInstallsIntoFijiAppAndSciJavaFindsTheCommands() throws Exception {
		// 1. the site from the packaged jar, the runtime dependencies and the natives of every platform
		BuiltSite site = BuiltSite.build(tmp);
		Path pluginJar = site.pluginJar;
		assertTrue(Files.isRegularFile(site.folder.resolve("db.xml.gz")));

		// 2. install like the updater, then add what Fiji ships itself
		Path app = tmp.resolve("Fiji.app");
		List<Path> installed = site.install(app, "linux64");
		Set<String> names = installed.stream().map(p -> app.relativize(p).toString().replace('\\', '/'))
			.collect(Collectors.toCollection(TreeSet::new));
		assertTrue(names.contains("jars/" + pluginJar.getFileName()), names.toString());
		assertTrue(names.stream().anyMatch(n -> n.startsWith("jars/pytorch-engine-")), names.toString());
		assertTrue(names.stream().anyMatch(n -> n.startsWith("jars/linux64/pytorch-native-cpu-")), names.toString());
		assertFalse(names.stream().anyMatch(n -> n.contains("scijava-common") || n.contains("gson")), names
			.toString());
		assertFalse(names.stream().anyMatch(n -> n.startsWith("jars/win64/") || n.startsWith("jars/macos")),
			"only this platform's natives: " + names);

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
}
