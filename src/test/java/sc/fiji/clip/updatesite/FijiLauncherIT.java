package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sc.fiji.clip.engine.LibtorchBuild;

/**
 * Issue 17: the built update site, installed for each platform it serves, survives Fiji's launcher on that platform,
 * and holds what DJL's native loader looks for there.
 * <p>
 * The launcher's rules, from fiji/fiji {@code config/fiji.toml} (commit e5564aa): {@code jvm.classpath} is
 * {@code ${app-dir}/jars/*.jar} and {@code ${app-dir}/jars/*}{@code /*.jar} (lines 113-116, plus {@code plugins/},
 * see {@link UpdateSiteInstaller#classPath}), and {@code jvm.runtime-args} has
 * {@code 'JAVA:9+|OS:LINUX|ARCH:X64|--module-path=${app-dir}/jars/linux64'} and the same for every platform folder
 * (lines 175-182). At boot the JVM derives a module descriptor for every jar on the module path, so one invalid
 * module name stops Fiji before any code runs (as with DJL's own {@code pytorch-native-cpu} jars). The child JVM
 * here gets exactly that class path and module path; on this machine it can only be a Linux JVM, but the boot
 * layer's check of a folder does not depend on the platform. Left out: the launcher's
 * {@code --add-modules=javafx...} (lines 186-190), since this stand-in Fiji.app has no JavaFX jars; it adds
 * modules from Fiji's own jars and cannot make a valid jar of ours invalid.
 * <p>
 * DJL 0.35.1's loader ({@code ai.djl.util.Platform.detectPlatform} and {@code ai.djl.pytorch.jni.LibUtils}, read
 * from their bytecode): {@code native/lib/pytorch.properties} with the platform's classifier, each of its
 * {@code libraries} at {@code pytorch/<flavor>/<classifier>/<file>}, and the JNI library at
 * {@code jnilib/<classifier>/<flavor>/<System.mapLibraryName("djl_torch")>} in pytorch-jni, whose
 * {@code jni_version} starts with the libtorch version.
 */
class FijiLauncherIT {

	/** Fiji's platform folder and DJL's classifier for it. */
	static final Map<String, String> PLATFORMS = Map.of("linux64", "linux-x86_64", "linux-arm64", "linux-aarch64",
		"win64", "win-x86_64", "macos-arm64", "osx-aarch64");

	@TempDir
	Path tmp;

	@AfterEach
	void removeLinks() throws IOException {
		BuiltSite.removeLinks(tmp);
	}

	@Test
	void everyPlatformFolderPassesTheLaunchersModulePathAndHoldsWhatDjlLoads() throws Exception {
		BuiltSite site = BuiltSite.build(tmp);
		assertEquals(PLATFORMS.keySet(), site.platforms(), "platform folders of the site");
		String host = FijiPlatform.current();
		for (String platform : PLATFORMS.keySet()) {
			Path app = tmp.resolve(platform).resolve("Fiji.app");
			site.install(app, platform);
			Path folder = app.resolve("jars").resolve(platform);
			assertHoldsWhatDjlLoads(app, folder, PLATFORMS.get(platform));

			boolean engine = platform.equals(host);
			String out = launch(app, folder, engine);
			for (String menu : FijiAppInstallIT.MENU_PATHS)
				assertTrue(out.contains("command: " + menu + " = sc.fiji.clip."), platform + ": no " + menu + "\n" + out);
			if (engine) {
				assertTrue(out.contains("engine: 2.7.1 cpu from the pytorch-native-cpu jar"), out);
				assertTrue(out.contains("; sum 6.0"), out);
				assertTrue(out.contains("offline: true"), "the plugin switches DJL's downloads off itself\n" + out);
			}
			System.out.println("[FijiLauncherIT] " + platform + (engine ? " (this machine, engine started)" : "") +
				": booted with --module-path=jars/" + platform + "; " + out.lines().filter(l -> l.startsWith("engine:"))
					.collect(Collectors.joining()));
		}
	}

	/** The harness sees what users saw: DJL's jar as Maven Central has it stops the JVM at boot. */
	@Test
	void djlsOwnNativeJarOnTheModulePathStopsTheJvm() throws Exception {
		Path folder = Files.createDirectories(tmp.resolve("Fiji.app/jars/linux64"));
		Path natives = Paths.get(BuiltSite.property("natives.directory"));
		try (Stream<Path> files = Files.walk(natives)) {
			Path original = files.filter(f -> f.getFileName().toString().endsWith("-linux-x86_64.jar")).findFirst()
				.orElseThrow();
			Files.copy(original, folder.resolve(original.getFileName()));
		}
		Process process = new ProcessBuilder(javaCommand(), "--module-path=" + folder, "-cp", folder + "/*",
			"-version").redirectErrorStream(true).start();
		String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(process.waitFor(1, TimeUnit.MINUTES));
		assertTrue(process.exitValue() != 0 && text.contains("Invalid module name"), text);
	}

	private static String javaCommand() {
		return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void assertHoldsWhatDjlLoads(Path app, Path folder, String classifier) throws IOException {
		List<Path> natives;
		try (Stream<Path> files = Files.list(folder)) {
			natives = files.filter(f -> f.getFileName().toString().startsWith("pytorch-native-cpu-"))
				.collect(Collectors.toList());
		}
		assertEquals(1, natives.size(), folder + ": " + natives);
		LibtorchBuild build;
		try (JarFile jar = new JarFile(natives.get(0).toFile())) {
			Properties p = properties(jar, "native/lib/pytorch.properties");
			assertEquals(classifier, p.getProperty("classifier"), natives.get(0).toString());
			String flavor = p.getProperty("flavor");
			assertEquals("cpu", flavor);
			build = new LibtorchBuild(p.getProperty("version"), "0.35.1", classifier);
			List<String> libraries = List.of(p.getProperty("libraries").split(","));
			assertTrue(libraries.contains(build.torchLibrary()), libraries.toString());
			for (String library : libraries) {
				String entry = "pytorch/" + flavor + "/" + classifier + "/" + library;
				assertTrue(jar.getJarEntry(entry) != null, natives.get(0) + " lacks " + entry);
			}
		}
		Path jni;
		try (Stream<Path> files = Files.list(app.resolve("jars"))) {
			jni = files.filter(f -> f.getFileName().toString().startsWith("pytorch-jni-")).findFirst().orElseThrow();
		}
		try (JarFile jar = new JarFile(jni.toFile())) {
			String entry = "jnilib/" + classifier + "/cpu/" + build.jniLibrary();
			assertTrue(jar.getJarEntry(entry) != null, jni + " lacks " + entry);
			String jniVersion = properties(jar, "jnilib/pytorch.properties").getProperty("jni_version");
			assertTrue(jniVersion.startsWith(build.version() + "-"), jniVersion);
		}
	}

	private static Properties properties(JarFile jar, String entry) throws IOException {
		assertTrue(jar.getJarEntry(entry) != null, jar.getName() + " lacks " + entry);
		Properties p = new Properties();
		try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
			p.load(in);
		}
		return p;
	}

	/** Runs {@code LauncherProbe} with the launcher's class path and {@code --module-path}; returns its output. */
	private String launch(Path app, Path moduleFolder, boolean engine) throws Exception {
		Path probe = tmp.resolve("LauncherProbe.java");
		try (InputStream in = FijiLauncherIT.class.getResourceAsStream("LauncherProbe.java")) {
			Files.copy(in, probe, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
		String classPath = UpdateSiteInstaller.classPath(app).stream().map(Path::toString)
			.collect(Collectors.joining(File.pathSeparator));
		List<String> command = new ArrayList<>(List.of(javaCommand(), "-Djava.awt.headless=true", "--module-path=" + moduleFolder, "-cp", classPath,
			probe.toString()));
		if (engine) command.add("engine");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().keySet().removeIf(k -> k.startsWith("DJL_") && !k.equals("DJL_CACHE_DIR")
			|| k.equals("OPT_OUT_TRACKING") || k.startsWith("PYTORCH_"));
		Process process = builder.start();
		byte[] output = process.getInputStream().readAllBytes();
		assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe did not end");
		String text = new String(output, StandardCharsets.UTF_8);
		assertEquals(0, process.exitValue(), "java --module-path=" + moduleFolder + " ... failed:\n" + text);
		return text;
	}
}
