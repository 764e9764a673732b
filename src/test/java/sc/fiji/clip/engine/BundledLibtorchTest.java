package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

/** A platform without a bundled libtorch gets one sentence saying why and what to do, before DJL tries a download. */
class BundledLibtorchTest {

	@TempDir
	Path tmp;

	ClassLoader withNativeFolder(String classifier) throws Exception {
		Path dir = Files.createDirectories(tmp.resolve(classifier).resolve("native/lib"));
		Files.writeString(dir.resolve("pytorch.properties"), "version=2.7.1-20250812\nflavor=cpu\nclassifier=" + classifier
			+ "\nlibraries=libtorch.so\n");
		return new URLClassLoader(new URL[] { tmp.resolve(classifier).toUri().toURL() }, null);
	}

	@Test
	void theNativeJarOfThisPlatformIsFoundAsDjlFindsIt() throws Exception {
		ClassLoader loader = withNativeFolder("osx-aarch64");
		assertTrue(BundledLibtorch.present(loader, "osx-aarch64"));
		assertFalse(BundledLibtorch.present(loader, "osx-x86_64"), "another platform's jar does not count");
		assertTrue(BundledLibtorch.present(BundledLibtorchTest.class.getClassLoader(), LibtorchBuild.current().classifier()),
			"the test class path has the pytorch-native-cpu jar of this machine");
	}

	@Test
	void intelMacsAreToldThatDjlShipsNoLibtorchForThemAndWhatToDo() throws Exception {
		ClipException e = assertThrows(ClipException.class,
			() -> BundledLibtorch.require(withNativeFolder("osx-aarch64"), "osx-x86_64"));
		assertTrue(e.getMessage().contains("DJL ships no libtorch for macOS on Intel (x86_64)"), e.getMessage());
		assertTrue(e.getMessage().contains(LibtorchChoice.LIBRARY_PATH), e.getMessage());
		assertFalse(e.getMessage().trim().replaceAll("\\.$", "").contains(". "), "one sentence: " + e.getMessage());
	}

	@Test
	void otherPlatformsWithoutANativeJarAreToldWhichPlatformsHaveOne() throws Exception {
		ClipException e = assertThrows(ClipException.class,
			() -> BundledLibtorch.require(withNativeFolder("linux-x86_64"), "win-aarch64"));
		assertTrue(e.getMessage().contains("(win-aarch64)") && e.getMessage().contains("win64"), e.getMessage());
	}
}
