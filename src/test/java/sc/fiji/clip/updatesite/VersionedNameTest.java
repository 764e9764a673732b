package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.scijava.util.FileUtils;

class VersionedNameTest {

	@ParameterizedTest
	@CsvSource({
		"jars/fiji-clip-0.1.0-SNAPSHOT.jar, jars/fiji-clip.jar",
		"jars/fiji-clip-0.1.0.jar, jars/fiji-clip.jar",
		"jars/api-0.35.1.jar, jars/api.jar",
		"jars/pytorch-jni-2.7.1-0.35.1.jar, jars/pytorch-jni.jar",
		"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar, jars/linux64/pytorch-native-cpu-linux-x86_64.jar",
		// "osx-aarch64" is no classifier the updater knows: it is taken for part of the version
		"jars/macos-arm64/pytorch-native-cpu-2.7.1-osx-aarch64.jar, jars/macos-arm64/pytorch-native-cpu.jar",
		// "win-x86_64" is neither: the updater sees no version at all
		"jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar, jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar",
		"jars/tokenizers-0.35.1.jar, jars/tokenizers.jar",
		"jars/Jama.jar, jars/Jama.jar",
		"macros/clip-1.0.ijm, macros/clip-1.0.ijm",
	})
	void stripsTheVersionButKeepsTheClassifier(String versioned, String unversioned) {
		assertEquals(unversioned, VersionedName.unversioned(versioned));
	}

	/** The updater keys files with scijava-common's FileUtils; ours must agree on every name the site may hold. */
	@Test
	void agreesWithScijavaCommon() {
		List<String> names = List.of("jars/fiji-clip-0.1.0-SNAPSHOT.jar", "jars/api-0.35.1.jar",
			"jars/pytorch-engine-0.35.1.jar", "jars/pytorch-jni-2.7.1-0.35.1.jar",
			"jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar", "jars/win64/pytorch-native-cpu-2.7.1-win-x86_64.jar",
			"jars/tokenizers-0.35.1.jar", "jars/picocli-4.7.7.jar", "jars/javassist-3.30.2-GA.jar",
			"jars/jogl-all-2.3.2-natives-linux-amd64.jar", "jars/foo-1.0-sources.jar", "jars/ij-1.54p.jar",
			"jars/bar-20120101123456.jar", "jars/baz-1.0.0-beta-3.jar", "macros/x-1.2.ijm", "plugins/Some_Plugin.jar");
		for (String name : names)
			assertEquals(FileUtils.stripFilenameVersion(name), VersionedName.unversioned(name), name);
	}

	@Test
	void versionsOfTheSameArtifactAreTheSameFile() {
		assertTrue(VersionedName.sameFile("jars/api-0.35.1.jar", "jars/api-0.36.0.jar"));
		assertFalse(VersionedName.sameFile("jars/api-0.35.1.jar", "jars/api-common-0.35.1.jar"));
	}

	@Test
	void nativeClassifiersMapToFijiPlatformFolders() {
		assertEquals("linux64", FijiPlatform.forClassifier("linux-x86_64"));
		assertEquals("linux-arm64", FijiPlatform.forClassifier("linux-aarch64"));
		assertEquals("macos-arm64", FijiPlatform.forClassifier("osx-aarch64"));
		assertEquals("win64", FijiPlatform.forClassifier("win-x86_64"));
		assertNull(FijiPlatform.forClassifier("sources"));
		assertNull(FijiPlatform.forClassifier(null));
	}

	@Test
	void platformMatchingFollowsTheUpdater() {
		assertTrue(FijiPlatform.matches("macos-arm64", Set.of()));
		assertTrue(FijiPlatform.matches("linux64", Set.of("linux64")));
		assertFalse(FijiPlatform.matches("macos-arm64", Set.of("linux64")));
		assertTrue(FijiPlatform.matches("macos-arm64", Set.of("macosx")));
		assertTrue(FijiPlatform.matches("win64", Set.of("linux64", "winx")));
		assertFalse(FijiPlatform.matches("linux64", Set.of("macosx", "winx")));
	}
}
