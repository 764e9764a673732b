package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleFinder;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's module-name rule, as Fiji's launcher meets it on {@code --module-path=jars/<platform>}. */
class ModuleNamesTest {

	@TempDir
	Path tmp;

	/** DJL's native jars declare this; the JVM refuses it ("'..._linux-x86_64' is not a Java identifier"). */
	static final String DJL_NATIVE = "ai.djl.pytorch_native_cpu_linux-x86_64";

	Path jar(String file, String automaticModuleName) throws Exception {
		String manifest = "Manifest-Version: 1.0\r\n" + (automaticModuleName == null ? "" :
			"Automatic-Module-Name: " + automaticModuleName + "\r\n") + "\r\n";
		return TestJars.jar(tmp.resolve(file), TestJars.entries("META-INF/MANIFEST.MF", manifest,
			"pytorch/cpu/linux-x86_64/libc10.so", "binary", "native/lib/pytorch.properties", "flavor=cpu\n"));
	}

	@Test
	void djlsNativeJarNameIsRefusedAndTheRepairIsAccepted() throws Exception {
		Path jar = jar("pytorch-native-cpu-2.7.1-linux-x86_64.jar", DJL_NATIVE);
		String problem = ModuleNames.problem(jar);
		assertNotNull(problem);
		assertTrue(problem.contains("not a Java identifier"), problem);

		Path fixed = tmp.resolve("fixed.jar");
		ModuleNames.withAutomaticModuleName(jar, fixed, ModuleNames.repair(DJL_NATIVE));
		assertNull(ModuleNames.problem(fixed));
		assertEquals("ai.djl.pytorch_native_cpu_linux_x86_64",
			ModuleFinder.of(fixed).findAll().iterator().next().descriptor().name());
		assertEquals(UpdaterChecksum.of("jars/linux64/x.jar", jar), UpdaterChecksum.of("jars/linux64/x.jar", fixed),
			"the updater's checksum ignores the manifest's content");
	}

	@Test
	void repairMakesEveryPartAJavaIdentifier() {
		assertEquals("a.b_c", ModuleNames.repair("a.b-c"));
		assertEquals("org._2d.x", ModuleNames.repair("org.2d.x"));
		assertEquals("x.native_.lib", ModuleNames.repair("x.native.lib"));
		assertEquals("ai.djl.pytorch_native_cpu_win_x86_64", ModuleNames.repair("ai.djl.pytorch_native_cpu_win-x86_64"));
	}

	@Test
	void fileNamesGiveTheNameTheJvmDerives() throws Exception {
		assertEquals("fiji.clip", ModuleNames.fromFileName("fiji-clip-0.1.0-SNAPSHOT.jar"));
		Path plain = jar("fiji-clip-0.1.0-SNAPSHOT.jar", null);
		assertNull(ModuleNames.problem(plain));
		assertEquals("fiji.clip", ModuleFinder.of(plain).findAll().iterator().next().descriptor().name());
		// a keyword in the derived name: the example in fiji.toml's comment, and a native jar without its classifier
		assertEquals("compiler.interface", ModuleNames.fromFileName("compiler-interface-1.3.5.jar"));
		assertNotNull(ModuleNames.problem(jar("compiler-interface-1.3.5.jar", null)));
		assertEquals("pytorch.native.cpu", ModuleNames.fromFileName("pytorch-native-cpu-2.7.1.jar"));
		assertNotNull(ModuleNames.problem(jar("pytorch-native-cpu-2.7.1.jar", null)));
	}
}
