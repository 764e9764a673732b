package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

/**
 * Which libtorch the engine loads, from facts given here (settings, GPU counts, what is set up, what a
 * {@code PYTORCH_LIBRARY_PATH} folder holds), and how those facts are read from folders.
 */
class LibtorchChoiceTest {

	static final LibtorchBuild BUILD = new LibtorchBuild("2.7.1-20250812", "0.35.1", "linux-x86_64");
	static final Path CACHE = Paths.get("/cache/pytorch");
	static final Path CU128 = CACHE.resolve("2.7.1-cu128-linux-x86_64");

	@TempDir
	Path dir;

	private static LibtorchChoice choose(Map<String, String> settings, int gpus, int driverGpus, List<String> setUp) {
		return LibtorchChoice.choose(new LibtorchChoice.Facts(BUILD, CACHE, settings, gpus, driverGpus, setUp, null, false, null));
	}

	@Test
	void withNothingSetUpAndNoGpuTheJarIsUsedAndNothingIsSet() {
		LibtorchChoice c = choose(Map.of(), 0, -1, List.of());
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertEquals("cpu", c.flavor());
		assertEquals("no CUDA GPU visible", c.reason());
		assertEquals(Map.of(), c.properties(), "DJL finds the jar by itself, offline");
		assertEquals("2.7.1 cpu from the pytorch-native-cpu jar, unpacked in /x", c.describe("2.7.1", "/x"));
	}

	@Test
	void aVisibleGpuWithoutASetUpKeepsTheJarAndSaysHowToGetOne() {
		LibtorchChoice c = choose(Map.of(), 2, 2, List.of());
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertTrue(c.reason().startsWith("2 CUDA GPUs visible, but no CUDA libtorch is set up"), c.reason());
		assertTrue(c.reason().contains("gpu-setup") && c.reason().contains("Set Up GPU") && c.reason().contains("PYTORCH_LIBRARY_PATH"),
			c.reason());
	}

	@Test
	void aSetUpFlavourIsUsedWhenAGpuIsVisible() {
		LibtorchChoice c = choose(Map.of(), 1, 1, List.of("cu128"));
		assertEquals(LibtorchChoice.Source.SET_UP, c.source());
		assertEquals("cu128", c.flavor());
		assertEquals(CU128, c.folder());
		assertEquals("set up by gpu-setup; 1 CUDA GPU visible", c.reason());
		assertEquals(Map.of("PYTORCH_LIBRARY_PATH", CU128.toString(), "PYTORCH_FLAVOR", "cu128"), c.properties(),
			"DJL prefers the jar over any downloaded flavour, so the folder is handed over as PYTORCH_LIBRARY_PATH");
		assertEquals("2.7.1 cu128 in " + CU128, c.describe("2.7.1", CU128.toString()));
	}

	@Test
	void aSetUpFlavourWaitsForAVisibleGpu() {
		LibtorchChoice c = choose(Map.of(), 0, -1, List.of("cu128"));
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertEquals("no CUDA GPU visible; the cu128 libtorch set up in " + CU128 + " is used when one is", c.reason());
		assertEquals(Map.of(), c.properties());
	}

	@Test
	void aGpuTheDriverListsButCudaCannotSeeIsExplained() {
		LibtorchChoice c = choose(Map.of(), 0, 1, List.of("cu128"));
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertTrue(c.reason().contains("the NVIDIA driver lists 1") && c.reason().contains("libcudart")
			&& c.reason().contains("LD_LIBRARY_PATH"), c.reason());
	}

	@Test
	void theHighestSetUpFlavourWins() {
		assertEquals("cu128", choose(Map.of(), 1, 1, List.of("cu128", "cu126")).flavor());
	}

	@Test
	void pytorchFlavorCpuKeepsTheJarDespiteASetUpAndAGpu() {
		LibtorchChoice c = choose(Map.of("PYTORCH_FLAVOR", "cpu"), 1, 1, List.of("cu128"));
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertEquals("PYTORCH_FLAVOR=cpu; the cu128 libtorch set up in " + CU128 + " is not used", c.reason());
	}

	@Test
	void pytorchFlavorCudaUsesItsSetUpEvenWithoutAGpu() {
		LibtorchChoice c = choose(Map.of("PYTORCH_FLAVOR", "cu126"), 0, -1, List.of("cu128", "cu126"));
		assertEquals(LibtorchChoice.Source.SET_UP, c.source());
		assertEquals(CACHE.resolve("2.7.1-cu126-linux-x86_64"), c.folder());
		assertEquals("PYTORCH_FLAVOR=cu126, set up by gpu-setup; no CUDA GPU visible, so tensors stay on the CPU", c.reason());
	}

	@Test
	void pytorchFlavorCudaThatIsNotSetUpSaysHowToSetItUp() {
		LibtorchChoice c = choose(Map.of("PYTORCH_FLAVOR", "cu126"), 1, 1, List.of("cu128"));
		assertEquals(LibtorchChoice.Source.JAR, c.source());
		assertTrue(c.reason().contains("no cu126 libtorch is set up in " + CACHE.resolve("2.7.1-cu126-linux-x86_64"))
			&& c.reason().contains("gpu-setup --flavor cu126"), c.reason());
	}

	@Test
	void pytorchLibraryPathWinsAndGetsTheFlavourItsJniLibraryNeeds() {
		Path lib = Paths.get("/opt/torch/lib");
		LibtorchChoice cuda = LibtorchChoice.choose(new LibtorchChoice.Facts(BUILD, CACHE,
			Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), 1, 1, List.of("cu128"), lib, true, "2.7.1+cu128"));
		assertEquals(LibtorchChoice.Source.LIBRARY_PATH, cuda.source());
		assertEquals(lib, cuda.folder());
		assertEquals(Map.of("PYTORCH_FLAVOR", "cu128"), cuda.properties(),
			"without it DJL would ask the jar for a cu1xx-precxx11 or cpu-precxx11 JNI library, which it lacks");
		assertEquals("PYTORCH_LIBRARY_PATH is set; PyTorch 2.7.1+cu128 beside it; 1 CUDA GPU visible", cuda.reason());
		assertEquals("2.7.1 cu128 from PYTORCH_LIBRARY_PATH=" + lib, cuda.describe("2.7.1", lib.toString()));

		LibtorchChoice cpu = LibtorchChoice.choose(new LibtorchChoice.Facts(BUILD, CACHE,
			Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), 0, -1, List.of(), lib, false, "2.6.0"));
		assertEquals(Map.of("PYTORCH_FLAVOR", "cpu"), cpu.properties());
		assertTrue(cpu.reason().contains("PyTorch 2.6.0 beside it (Fiji CLIP's JNI library is built for 2.7.1: expect load errors)"),
			cpu.reason());

		LibtorchChoice asked = LibtorchChoice.choose(new LibtorchChoice.Facts(BUILD, CACHE,
			Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu128"), 0, -1, List.of(), lib, true, null));
		assertEquals(Map.of(), asked.properties(), "an explicit PYTORCH_FLAVOR is left to DJL");
		assertTrue(asked.reason().endsWith("no CUDA GPU visible, so tensors stay on the CPU"), asked.reason());
	}

	@Test
	void aLibraryPathWithoutLibtorchIsAClearError() {
		ClipException e = assertThrows(ClipException.class, () -> LibtorchChoice.choose(new LibtorchChoice.Facts(BUILD, CACHE,
			Map.of("PYTORCH_LIBRARY_PATH", "/nowhere"), 1, 1, List.of("cu128"), null, false, null)));
		assertTrue(e.getMessage().startsWith("PYTORCH_LIBRARY_PATH=/nowhere holds no libtorch.so.")
			&& e.getMessage().contains("torch/lib") && e.getMessage().contains("unset it"), e.getMessage());
	}

	@Test
	void onlyCompleteCudaFoldersOfThisBuildCountAsSetUp() throws Exception {
		Path cache = dir.resolve("pytorch");
		complete(cache.resolve("2.7.1-cu126-linux-x86_64"));
		complete(cache.resolve("2.7.1-cu128-linux-x86_64"));
		complete(cache.resolve("2.7.1-20250812-cpu-linux-x86_64"));
		complete(cache.resolve("2.5.1-cu124-linux-x86_64"));
		complete(cache.resolve("2.7.1-cu128-win-x86_64"));
		complete(cache.resolve("fiji-clip-gpu-setup-123"));
		Files.createDirectories(cache.resolve("2.7.1-cu129-linux-x86_64"));
		Files.write(cache.resolve("2.7.1-cu129-linux-x86_64/libtorch.so"), new byte[1]); // no JNI library: not set up
		assertEquals(List.of("cu128", "cu126"), LibtorchChoice.setUpFlavors(BUILD, cache));
		assertEquals(Collections.emptyList(), LibtorchChoice.setUpFlavors(BUILD, dir.resolve("missing")));

		LibtorchChoice c = LibtorchChoice.choose(LibtorchChoice.observe(BUILD, cache, name -> null, 1, 1));
		assertEquals(cache.resolve("2.7.1-cu128-linux-x86_64"), c.folder());
	}

	@Test
	void aLibraryPathIsReadAsDjlReadsIt() throws Exception {
		Path torch = dir.resolve("site-packages/torch");
		Path lib = torch.resolve("lib");
		Files.createDirectories(lib);
		Files.write(lib.resolve("libtorch.so"), new byte[1]);
		Files.write(lib.resolve("libtorch_cuda.so"), new byte[1]);
		Files.writeString(torch.resolve("version.py"), "__version__ = '2.7.1+cu128'\ngit_version = 'abc'\n");

		assertEquals(lib, LibtorchChoice.findLibtorch(lib.toString(), BUILD));
		assertEquals(lib, LibtorchChoice.findLibtorch(lib.resolve("libtorch.so").toString(), BUILD), "the library file itself");
		assertEquals(lib, LibtorchChoice.findLibtorch(dir.resolve("empty") + File.pathSeparator + lib, BUILD), "first usable entry");
		assertNull(LibtorchChoice.findLibtorch(torch.toString(), BUILD));

		LibtorchChoice.Facts f = LibtorchChoice.observe(BUILD, dir.resolve("cache"),
			Map.of("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "")::get, 0, -1);
		LibtorchChoice c = LibtorchChoice.choose(f);
		assertEquals(LibtorchChoice.Source.LIBRARY_PATH, c.source());
		assertEquals("cu128", c.flavor(), "libtorch_cuda.so beside it: a CUDA build; an empty PYTORCH_FLAVOR counts as unset");
		assertTrue(c.reason().contains("PyTorch 2.7.1+cu128 beside it"), c.reason());

		Path zip = dir.resolve("libtorch");
		Files.createDirectories(zip.resolve("lib"));
		Files.write(zip.resolve("lib/libtorch.so"), new byte[1]);
		Files.writeString(zip.resolve("build-version"), "2.7.1+cpu\n");
		assertEquals("2.7.1+cpu", LibtorchChoice.pytorchVersionBeside(zip.resolve("lib")));
		assertEquals("cpu", LibtorchChoice.choose(LibtorchChoice.observe(BUILD, dir.resolve("cache"),
			Map.of("PYTORCH_LIBRARY_PATH", zip.resolve("lib").toString())::get, 1, 1)).flavor());
	}

	@Test
	void applyHandsTheChoiceToDjlWithoutOverridingTheUser() {
		assertNull(System.getenv("PYTORCH_LIBRARY_PATH"), "test needs a clean environment");
		assertNull(System.getenv("PYTORCH_FLAVOR"), "test needs a clean environment");
		String path = System.getProperty("PYTORCH_LIBRARY_PATH"), flavor = System.getProperty("PYTORCH_FLAVOR");
		try {
			System.clearProperty("PYTORCH_LIBRARY_PATH");
			System.setProperty("PYTORCH_FLAVOR", "cu126");
			choose(Map.of(), 1, 1, List.of("cu128")).apply();
			assertEquals(CU128.toString(), System.getProperty("PYTORCH_LIBRARY_PATH"));
			assertEquals("cu126", System.getProperty("PYTORCH_FLAVOR"), "a value the user set stays");
		} finally {
			restore("PYTORCH_LIBRARY_PATH", path);
			restore("PYTORCH_FLAVOR", flavor);
		}
	}

	@Test
	void theBuildOnTheClassPathIsDjls() {
		LibtorchBuild b = LibtorchBuild.current();
		assertEquals("2.7.1", b.version());
		assertEquals("0.35.1", b.djlVersion());
		assertEquals("2.7.1-cu128-linux-x86_64", BUILD.folder(CACHE, "cu128").getFileName().toString());
		assertEquals("0.35.1-libdjl_torch.so", BUILD.jniFileName());
		assertEquals("torch.dll", new LibtorchBuild("2.7.1", "0.35.1", "win-x86_64").torchLibrary());
	}

	private static void complete(Path folder) throws Exception {
		Files.createDirectories(folder);
		Files.write(folder.resolve("libtorch.so"), new byte[1]);
		Files.write(folder.resolve("0.35.1-libdjl_torch.so"), new byte[1]);
	}

	private static void restore(String key, String value) {
		if (value == null) System.clearProperty(key);
		else System.setProperty(key, value);
	}
}
