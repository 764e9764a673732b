package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sc.fiji.clip.updatesite.DbXml.Plugin;
import sc.fiji.clip.updatesite.DbXml.Version;

class UpdateSiteInstallerTest {

	@TempDir
	Path tmp;
	Path site;
	Path app;
	UpdateSiteBuilderTest builder;

	/** A site built by {@link UpdateSiteBuilder} from the fake dependencies of {@link UpdateSiteBuilderTest}. */
	@BeforeEach
	void buildSite() throws Exception {
		builder = new UpdateSiteBuilderTest();
		builder.tmp = tmp.resolve("build");
		builder.fakeDependencies();
		Files.createDirectories(builder.tmp.resolve("macros"));
		Files.writeString(builder.tmp.resolve("macros/CLIP_Label.ijm"), "run(\"CLIP Label\");\n");
		UpdateSiteBuilder.build(builder.config(builder.pluginJar("v1"), UpdateSiteBuilderTest.T1));
		site = builder.out;
		app = tmp.resolve("Fiji.app");
	}

	private Set<String> installedFiles() throws IOException {
		try (Stream<Path> files = Files.walk(app)) {
			return files.filter(Files::isRegularFile).map(p -> app.relativize(p).toString().replace('\\', '/'))
				.collect(Collectors.toCollection(TreeSet::new));
		}
	}

	@Test
	void installsUnderTheVersionedNamesWithoutTimestampsLikeTheUpdater() throws Exception {
		List<Path> installed = UpdateSiteInstaller.install(site, app, "linux64", true);
		Set<String> expected = new TreeSet<>(UpdateSiteBuilderTest.DJL_FILES);
		expected.add("jars/fiji-clip-0.1.0.jar");
		expected.add("macros/CLIP_Label.ijm");
		assertEquals(expected, installedFiles());
		assertEquals(expected.size(), installed.size());
		assertEquals("run(\"CLIP Label\");\n", Files.readString(app.resolve("macros/CLIP_Label.ijm")));
		assertArrayEquals(Files.readAllBytes(site.resolve("jars/fiji-clip-0.1.0.jar-" + UpdateSiteBuilderTest.T1)),
			Files.readAllBytes(app.resolve("jars/fiji-clip-0.1.0.jar")));
	}

	@Test
	void otherPlatformsGetNoLinuxNatives() throws Exception {
		UpdateSiteInstaller.install(site, app, "macos-arm64", true);
		Set<String> files = installedFiles();
		assertTrue(files.contains("jars/api-0.35.1.jar"));
		assertTrue(files.stream().noneMatch(f -> f.startsWith("jars/linux64/")), files.toString());
	}

	@Test
	void classPathIsWhatFijisLauncherUses() throws Exception {
		UpdateSiteInstaller.install(site, app, "linux64", false);
		UpdateSiteInstaller.addJars(app, List.of(TestJars.jar(tmp.resolve("fiji/scijava-common-2.100.1.jar"),
			TestJars.entries("a", "b")), tmp.resolve("not-a-jar-folder")));
		List<String> classPath = UpdateSiteInstaller.classPath(app).stream().map(p -> app.relativize(p).toString()
			.replace('\\', '/')).collect(Collectors.toList());
		assertEquals(List.of("jars/api-0.35.1.jar", "jars/fiji-clip-0.1.0.jar",
			"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "jars/pytorch-engine-0.35.1.jar",
			"jars/pytorch-jni-2.7.1-0.35.1.jar", "jars/scijava-common-2.100.1.jar", "jars/tokenizers-0.35.1.jar"),
			classPath);
	}

	@Test
	void newVersionReplacesTheOldOneLikeAnUpdate() throws Exception {
		Path old = TestJars.jar(app.resolve("jars/fiji-clip-0.0.9.jar"), TestJars.entries("old", "old"));
		Path unrelated = TestJars.jar(app.resolve("jars/fiji-clip-extras-1.0.jar"), TestJars.entries("x", "x"));
		UpdateSiteInstaller.install(site, app, "linux64", true);
		assertFalse(Files.exists(old), "the updater replaces jars/fiji-clip.jar, whatever its version");
		assertTrue(Files.exists(unrelated));
		assertTrue(Files.exists(app.resolve("jars/fiji-clip-0.1.0.jar")));
	}

	@Test
	void fileOfTheWrongSizeIsRejectedAndNotInstalled() throws Exception {
		Path served = site.resolve("jars/tokenizers-0.35.1.jar-" + UpdateSiteBuilderTest.T1);
		TestJars.jar(served, TestJars.entries("tokenizers/Marker.class", "a longer, tampered content"));
		IOException e = assertThrows(IOException.class, () -> UpdateSiteInstaller.install(site, app, "linux64",
			false));
		assertTrue(e.getMessage().contains("size for jars/tokenizers-0.35.1.jar"), e.getMessage());
		assertFalse(Files.exists(app.resolve("jars/tokenizers-0.35.1.jar")));
		assertFalse(Files.exists(app.resolve("jars/tokenizers-0.35.1.jar.part")));
	}

	@Test
	void fileWithAnotherChecksumIsRejected() throws Exception {
		Path db = site.resolve("db.xml.gz");
		List<Plugin> plugins = DbXml.read(db);
		Plugin tokenizers = plugins.stream().filter(p -> p.unversioned().equals("jars/tokenizers.jar")).findFirst()
			.get();
		tokenizers.version = new Version("0".repeat(40), tokenizers.version.timestamp, tokenizers.version.filesize);
		DbXml.write(plugins, db);
		IOException e = assertThrows(IOException.class, () -> UpdateSiteInstaller.install(site, app, "linux64",
			true));
		assertTrue(e.getMessage().contains("checksum for jars/tokenizers-0.35.1.jar"), e.getMessage());
		assertFalse(Files.exists(app.resolve("jars/tokenizers-0.35.1.jar")));
		// without checksum verification (sizes only) it installs
		UpdateSiteInstaller.install(site, app, "linux64", false);
		assertTrue(Files.exists(app.resolve("jars/tokenizers-0.35.1.jar")));
	}

	@Test
	void fileNamesCannotLeaveTheFijiFolder() throws Exception {
		Path evil = Files.createDirectories(tmp.resolve("evil"));
		Plugin p = new Plugin("../outside.txt");
		Files.writeString(evil.resolve("../outside.txt-20260101000000"), "x");
		p.version = new Version("c", 20260101000000L, 1);
		DbXml.write(List.of(p), evil.resolve("db.xml.gz"));
		assertThrows(IOException.class, () -> UpdateSiteInstaller.install(evil, app, "linux64", false));
		assertFalse(Files.exists(tmp.resolve("outside.txt")));
	}
}
