package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sc.fiji.clip.updatesite.DbXml.Dependency;
import sc.fiji.clip.updatesite.DbXml.Plugin;
import sc.fiji.clip.updatesite.UpdateSiteBuilder.Config;
import sc.fiji.clip.updatesite.UpdateSiteBuilder.Result;

class UpdateSiteBuilderTest {

	static final long T1 = 20260101120000L;
	static final long T2 = 20260202130000L;

	/** The jars Fiji CLIP's runtime class path holds (pom-scijava 45 versions), as groupId, artifactId, version. */
	static final String[][] RUNTIME = {
		{ "ai.djl", "api", "0.35.1" },
		{ "ai.djl.pytorch", "pytorch-engine", "0.35.1" },
		{ "ai.djl.pytorch", "pytorch-jni", "2.7.1-0.35.1" },
		{ "ai.djl.huggingface", "tokenizers", "0.35.1" },
		{ "com.google.code.gson", "gson", "2.10.1" },
		{ "net.java.dev.jna", "jna", "5.14.0" },
		{ "org.apache.commons", "commons-compress", "1.28.0" },
		{ "commons-io", "commons-io", "2.20.0" },
		{ "commons-codec", "commons-codec", "1.19.0" },
		{ "org.slf4j", "slf4j-api", "2.0.17" },
		{ "info.picocli", "picocli", "4.7.7" },
	};

	static final Set<String> SHIPPED_BY_FIJI = Set.of("com.google.code.gson:gson", "net.java.dev.jna:jna",
		"org.apache.commons:commons-compress", "commons-io:commons-io", "commons-codec:commons-codec",
		"org.slf4j:slf4j-api", "info.picocli:picocli");

	static final List<String> DJL_FILES = List.of("jars/api-0.35.1.jar", "jars/pytorch-engine-0.35.1.jar",
		"jars/pytorch-jni-2.7.1-0.35.1.jar", "jars/tokenizers-0.35.1.jar",
		"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar");

	@TempDir
	Path tmp;
	Path deps;
	Path out;

	@BeforeEach
	void fakeDependencies() throws IOException {
		deps = tmp.resolve("deps");
		out = tmp.resolve("site");
		for (String[] gav : RUNTIME) {
			String pomDeps = gav[1].equals("api") ? dependency("com.google.code.gson", "gson", null) :
				gav[0].startsWith("ai.djl.") ? dependency("ai.djl", "api", null) +
					dependency("org.junit", "junit", "test") : "";
			artifact(gav[0], gav[1], gav[2], null, "Deep Java Library - " + gav[1], pomDeps);
		}
		artifact("ai.djl.pytorch", "pytorch-native-cpu", "2.7.1", "linux-x86_64", "PyTorch natives", "");
	}

	/** A tiny jar and its POM in repository layout; the jar has no embedded POM, like DJL's. */
	Path artifact(String groupId, String artifactId, String version, String classifier, String description,
		String pomDependencies) throws IOException
	{
		Path dir = deps.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
		String stem = artifactId + "-" + version;
		Path jar = TestJars.jar(dir.resolve(stem + (classifier == null ? "" : "-" + classifier) + ".jar"),
			TestJars.entries("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n", artifactId + "/Marker.class",
				stem));
		Files.writeString(dir.resolve(stem + ".pom"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">" +
			"<description>" + description + "</description><url>https://djl.ai/" + artifactId + "</url>" +
			"<developers><developer><name>DJL.AI Team</name></developer></developers>" +
			"<dependencies>" + pomDependencies + "</dependencies></project>");
		return jar;
	}

	static String dependency(String groupId, String artifactId, String scope) {
		return "<dependency><groupId>" + groupId + "</groupId><artifactId>" + artifactId + "</artifactId>" +
			"<version>1</version>" + (scope == null ? "" : "<scope>" + scope + "</scope>") + "</dependency>";
	}

	Path pluginJar(String classContent) throws IOException {
		return TestJars.mavenJar(tmp.resolve("target/fiji-clip-0.1.0.jar"), "sc.fiji", "fiji-clip",
			TestJars.pom("CLIP in Fiji"), "sc/fiji/clip/Clip.class", classContent);
	}

	Config config(Path plugin, long timestamp) {
		Config c = new Config();
		c.pluginJar = plugin;
		c.dependencies = deps;
		c.fijiShips = SHIPPED_BY_FIJI;
		c.metadata.setProperty("jars/fiji-clip.jar.authors", "Ada Lovelace, Grace Hopper");
		c.macros = tmp.resolve("macros");
		c.output = out;
		c.timestamp = timestamp;
		return c;
	}

	static Set<String> filenames(Result r) {
		return r.plugins.stream().map(p -> p.filename).collect(Collectors.toCollection(TreeSet::new));
	}

	@Test
	void nativeJarsOfEveryPlatformGoToTheirFolderWithAModuleNameTheJvmAccepts() throws Exception {
		Path natives = tmp.resolve("natives");
		Path linux = null;
		for (String classifier : new String[] { "linux-x86_64", "linux-aarch64", "win-x86_64", "osx-aarch64" }) {
			Path dir = natives.resolve("ai/djl/pytorch/pytorch-native-cpu/2.7.1");
			Path jar = TestJars.jar(dir.resolve("pytorch-native-cpu-2.7.1-" + classifier + ".jar"), TestJars.entries(
				"META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nAutomatic-Module-Name: ai.djl.pytorch_native_cpu_" +
					classifier + "\r\n\r\n", "native/lib/pytorch.properties", "classifier=" + classifier + "\n"));
			if (classifier.startsWith("linux-x86")) linux = jar;
		}
		Config config = config(pluginJar("v1"), T1);
		config.natives = natives; // the linux-x86_64 jar is in both folders: one record
		Result r = UpdateSiteBuilder.build(config);

		Map<String, String> expected = Map.of(
			"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "ai.djl.pytorch_native_cpu_linux_x86_64",
			"jars/linux-arm64/pytorch-native-cpu-2.7.1-linux-aarch64.jar", "ai.djl.pytorch_native_cpu_linux_aarch64",
			"jars/win64/pytorch-native-cpu-2.7.1.jar", "ai.djl.pytorch_native_cpu_win_x86_64",
			"jars/macos-arm64/pytorch-native-cpu-2.7.1-osx-aarch64.jar", "ai.djl.pytorch_native_cpu_osx_aarch64");
		assertEquals(expected, r.renamedModules);
		for (String file : expected.keySet()) {
			Plugin p = r.plugin(VersionedName.unversioned(file));
			assertEquals(file, p.filename);
			String platform = file.split("/")[1];
			assertEquals(List.of(platform), p.platforms);
			Path served = out.resolve(p.siteFilename());
			Path asJar = Files.copy(served, tmp.resolve(platform + ".jar"));
			assertNull(ModuleNames.problem(asJar), file);
			assertEquals(expected.get(file), ModuleNames.declared(asJar));
			assertEquals(UpdaterChecksum.of(file, asJar), p.version.checksum);
		}
		assertEquals(UpdaterChecksum.of("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", linux),
			r.plugin("jars/linux64/pytorch-native-cpu-linux-x86_64.jar").version.checksum);
		assertNotNull(ModuleNames.problem(linux), "the source jar is left as it was");
	}

	@Test
	void siteHasThePluginAndTheDjlJarsButNotWhatFijiShips() throws Exception {
		Result r = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));

		Set<String> expected = new TreeSet<>(DJL_FILES);
		expected.add("jars/fiji-clip-0.1.0.jar");
		assertEquals(expected, filenames(r));
		assertEquals(SHIPPED_BY_FIJI, r.excluded.stream().map(MavenJar::key).collect(Collectors.toSet()));
		for (String shipped : new String[] { "gson", "jna", "commons-compress", "commons-io", "commons-codec",
			"slf4j-api", "picocli" })
		{
			assertTrue(r.plugins.stream().noneMatch(p -> p.filename.contains(shipped)), shipped);
			try (var files = Files.walk(out)) {
				assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(shipped + "-")), shipped);
			}
		}
	}

	@Test
	void filesAreServedUnderVersionedNameDashTimestampWithMatchingChecksumAndSize() throws Exception {
		Result r = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		assertTrue(Files.isRegularFile(out.resolve("jars/fiji-clip-0.1.0.jar-20260101120000")));
		assertTrue(Files.isRegularFile(out.resolve("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar-" + T1)));
		assertEquals(6, r.written.size());
		for (Plugin p : r.plugins) {
			Path served = out.resolve(p.siteFilename());
			assertEquals(T1, p.version.timestamp, p.filename);
			assertEquals(Files.size(served), p.version.filesize, p.filename);
			assertEquals(UpdaterChecksum.of(p.filename, served), p.version.checksum, p.filename);
		}
		Plugin nativeJar = r.plugin("jars/linux64/pytorch-native-cpu-linux-x86_64.jar");
		assertEquals(List.of("linux64"), nativeJar.platforms);
		assertTrue(r.plugin("jars/api.jar").platforms.isEmpty());
	}

	@Test
	void pluginDependsOnEveryDjlJarByUnversionedName() throws Exception {
		Result r = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		Plugin clip = r.plugin("jars/fiji-clip.jar");
		List<String> deps = new ArrayList<>();
		for (Dependency d : clip.dependencies) {
			deps.add(d.filename);
			assertEquals(T1, d.timestamp);
		}
		assertEquals(List.of("jars/api.jar", "jars/linux64/pytorch-native-cpu-linux-x86_64.jar",
			"jars/pytorch-engine.jar", "jars/pytorch-jni.jar", "jars/tokenizers.jar"), deps);
		// from the POMs: DJL modules depend on the api; gson (Fiji's) and test scope are not site dependencies
		assertEquals(List.of("jars/api.jar"), names(r.plugin("jars/pytorch-engine.jar").dependencies));
		assertEquals(List.of("jars/api.jar"), names(r.plugin("jars/tokenizers.jar").dependencies));
		assertTrue(r.plugin("jars/api.jar").dependencies.isEmpty());
	}

	@Test
	void metadataComesFromThePomsAndTheOverrides() throws Exception {
		Result r = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		Plugin clip = r.plugin("jars/fiji-clip.jar");
		assertEquals("CLIP in Fiji", clip.description); // embedded POM, as the updater reads it
		assertEquals(List.of("Ada Lovelace", "Grace Hopper"), clip.authors); // metadata.properties
		Plugin api = r.plugin("jars/api.jar");
		assertEquals("Deep Java Library - api", api.description); // POM next to the jar
		assertEquals(List.of("DJL.AI Team"), api.authors);
		assertEquals(List.of("https://djl.ai/api"), api.links);
	}

	@Test
	void indexIsValidAndReadsBackLikeTheResult() throws Exception {
		Result r = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("db.xml.gz")))) {
			DbXmlTest.validate(in);
		}
		List<Plugin> read = DbXml.read(out.resolve("db.xml.gz"));
		assertEquals(filenames(r), read.stream().map(p -> p.filename).collect(Collectors.toCollection(TreeSet::new)));
	}

	@Test
	void missingMacrosFolderIsFineAndPresentMacrosAreChecksummedWithTheirPath() throws Exception {
		Result without = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		assertTrue(without.plugins.stream().noneMatch(p -> p.filename.startsWith("macros/")));

		Path macros = Files.createDirectories(tmp.resolve("macros/sub"));
		Files.writeString(tmp.resolve("macros/CLIP_Label.ijm"), "run(\"CLIP Label\");\n");
		Files.writeString(macros.resolve("notes.txt"), "notes\n");
		Files.writeString(tmp.resolve("macros/README.md"), "not tracked by the updater\n");
		Files.writeString(tmp.resolve("macros/.hidden.ijm"), "hidden\n");
		Result with = UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		Set<String> macroFiles = with.plugins.stream().map(p -> p.filename).filter(f -> f.startsWith("macros/"))
			.collect(Collectors.toCollection(TreeSet::new));
		assertEquals(Set.of("macros/CLIP_Label.ijm", "macros/sub/notes.txt"), macroFiles);
		Plugin macro = with.plugin("macros/CLIP_Label.ijm");
		assertEquals(UpdaterChecksumTestSupport.sha1("macros/CLIP_Label.ijm", "run(\"CLIP Label\");\n"),
			macro.version.checksum);
		assertEquals("run(\"CLIP Label\");\n", Files.readString(out.resolve("macros/CLIP_Label.ijm-" + T1)));
	}

	@Test
	void nextReleaseContinuesTheSitesHistory() throws Exception {
		UpdateSiteBuilder.build(config(pluginJar("v1"), T1));
		Path published = Files.copy(out.resolve("db.xml.gz"), tmp.resolve("published-db.xml.gz"));
		String oldChecksum = DbXml.read(published).stream().filter(p -> p.unversioned().equals("jars/fiji-clip.jar"))
			.findFirst().get().version.checksum;

		// the plugin changes, tokenizers is dropped, everything else stays
		deleteTree(deps.resolve("ai/djl/huggingface"));
		Config next = config(pluginJar("v2"), T2);
		next.previous = published;
		Result r = UpdateSiteBuilder.build(next);

		Plugin clip = r.plugin("jars/fiji-clip.jar");
		assertEquals(T2, clip.version.timestamp);
		assertEquals(1, clip.previous.size());
		assertEquals(oldChecksum, clip.previous.get(0).checksum);
		assertEquals(T1, clip.previous.get(0).timestamp);
		assertEquals(T2, clip.previous.get(0).timestampObsolete);
		assertEquals("jars/fiji-clip-0.1.0.jar", clip.previous.get(0).filename);

		Plugin api = r.plugin("jars/api.jar");
		assertEquals(T1, api.version.timestamp, "unchanged files keep their version");
		assertTrue(api.previous.isEmpty());
		assertFalse(Files.exists(out.resolve("jars/api-0.35.1.jar-" + T1)), "and are not uploaded again");
		assertEquals(List.of("jars/fiji-clip-0.1.0.jar-" + T2), r.written, "only the changed file is uploaded");
		assertEquals(T1, clip.dependencies.stream().filter(d -> d.filename.equals("jars/api.jar")).findFirst().get()
			.timestamp);

		Plugin tokenizers = r.plugin("jars/tokenizers.jar");
		assertNotNull(tokenizers, "a dropped file stays in the index");
		assertNull(tokenizers.version, "as obsolete");
		assertEquals(T2, tokenizers.previous.get(0).timestampObsolete);
		try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve("db.xml.gz")))) {
			DbXmlTest.validate(in);
		}
	}

	@Test
	void twoVersionsOfOneFileAreRefused() throws Exception {
		artifact("ai.djl", "api", "0.36.0", null, "newer api", "");
		IOException e = assertThrows(IOException.class, () -> UpdateSiteBuilder.build(config(pluginJar("v1"), T1)));
		assertTrue(e.getMessage().contains("jars/api.jar"), e.getMessage());
	}

	@Test
	void aVersionTheUpdaterCannotSeeIsRefused() throws Exception {
		artifact("org.example", "oddity", "release", null, "no version digits", "");
		IOException e = assertThrows(IOException.class, () -> UpdateSiteBuilder.build(config(pluginJar("v1"), T1)));
		assertTrue(e.getMessage().contains("jars/oddity-release.jar"), e.getMessage());
	}

	@Test
	void timestampMustBeTheUpdatersFormat() {
		assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.build(config(pluginJar("v1"), 2026L)));
		assertThrows(IllegalArgumentException.class, () -> UpdateSiteBuilder.build(config(pluginJar("v1"),
			20261332000000L)));
	}

	@Test
	void commandLineBuildsTheSameSite() throws Exception {
		Path ships = Files.writeString(tmp.resolve("ships.txt"), String.join("\n", SHIPPED_BY_FIJI) + "\n# comment\n");
		Path metadata = Files.writeString(tmp.resolve("metadata.properties"),
			"jars/fiji-clip.jar.authors = Ada Lovelace\n");
		UpdateSiteBuilder.main(new String[] { "--plugin-jar=" + pluginJar("v1"), "--dependencies=" + deps,
			"--fiji-ships=" + ships, "--metadata=" + metadata, "--macros=" + tmp.resolve("no-macros"),
			"--output=" + out, "--timestamp=" + T1, "--previous=" });
		List<Plugin> read = DbXml.read(out.resolve("db.xml.gz"));
		assertEquals(6, read.size());
		assertEquals(List.of("Ada Lovelace"), read.stream().filter(p -> p.unversioned().equals("jars/fiji-clip.jar"))
			.findFirst().get().authors);
	}

	/** The real list, on the real dependency jars of this build (the native jar is only listed, never read). */
	@Test
	void projectsFijiShipsListKeepsDjlAndLeavesOutItsTransitiveDependencies() throws Exception {
		Set<String> ships = UpdateSiteBuilder.readArtifactList(Paths.get("update-site/fiji-ships.txt"));
		List<Path> classPath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
			classPath.add(Paths.get(entry).toAbsolutePath());
		// the local repository: the folder holding ai/djl/api/<version>/api-<version>.jar
		Path apiJar = classPath.stream().filter(p -> p.getNameCount() > 5 && p.getFileName().toString().startsWith(
			"api-") && p.getParent().getParent().endsWith(Paths.get("ai", "djl", "api"))).findFirst().orElseThrow();
		Path repository = apiJar.getParent().getParent().getParent().getParent().getParent();
		List<MavenJar> jars = new ArrayList<>();
		for (Path p : classPath)
			if (p.startsWith(repository) && p.toString().endsWith(".jar")) jars.add(MavenJar.parse(repository, p));
		List<MavenJar> excluded = new ArrayList<>();
		Set<String> included = UpdateSiteBuilder.select(jars, ships, excluded).stream().map(MavenJar::key)
			.collect(Collectors.toSet());
		Set<String> left = excluded.stream().map(MavenJar::key).collect(Collectors.toSet());
		for (String djl : new String[] { "ai.djl:api", "ai.djl.pytorch:pytorch-engine", "ai.djl.pytorch:pytorch-jni",
			"ai.djl.pytorch:pytorch-native-cpu", "ai.djl.huggingface:tokenizers" })
			assertTrue(included.contains(djl), djl + " must be on the site");
		for (String shipped : SHIPPED_BY_FIJI)
			assertTrue(left.contains(shipped), shipped + " is Fiji's");
		for (String core : new String[] { "org.scijava:scijava-common", "net.imagej:ij", "net.imglib2:imglib2" })
			assertTrue(left.contains(core), core + " is Fiji's");
		MavenJar nativeJar = jars.stream().filter(j -> j.artifactId.equals("pytorch-native-cpu")).findFirst().get();
		assertEquals("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", nativeJar.fijiPath());
	}

	@Test
	void repositoryLayoutGivesCoordinates() throws Exception {
		Path root = tmp.resolve("repo");
		Path snapshot = TestJars.jar(root.resolve("org/ex/lib/1.0-SNAPSHOT/lib-1.0-20260101.120000-3-linux-x86_64.jar"),
			TestJars.entries("a", "b"));
		MavenJar s = MavenJar.parse(root, snapshot);
		assertEquals("org.ex:lib", s.key());
		assertEquals("1.0-20260101.120000-3", s.version);
		assertEquals("linux-x86_64", s.classifier);
		MavenJar win = MavenJar.parse(root, TestJars.jar(root.resolve(
			"ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-win-x86_64.jar"), TestJars.entries("a",
				"b")));
		// the updater sees no version in "-2.7.1-win-x86_64": the platform folder carries the platform instead
		assertEquals("jars/win64/pytorch-native-cpu-2.7.1.jar", win.fijiPath());
		assertEquals("jars/win64/pytorch-native-cpu.jar", VersionedName.unversioned(win.fijiPath()));
		assertThrows(IOException.class, () -> MavenJar.parse(root, TestJars.jar(root.resolve("x/y/1.0/z-1.0.jar"),
			TestJars.entries("a", "b"))));
	}

	private static List<String> names(List<Dependency> deps) {
		return deps.stream().map(d -> d.filename).collect(Collectors.toList());
	}

	private static void deleteTree(Path dir) throws IOException {
		try (var files = Files.walk(dir)) {
			for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList()))
				Files.delete(p);
		}
	}

	/** Independent SHA-1 over concatenated strings. */
	static final class UpdaterChecksumTestSupport {
		static String sha1(String... parts) throws Exception {
			java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-1");
			for (String part : parts)
				md.update(part.getBytes(StandardCharsets.UTF_8));
			StringBuilder sb = new StringBuilder();
			for (byte b : md.digest())
				sb.append(String.format("%02x", b));
			return sb.toString();
		}
	}
}
