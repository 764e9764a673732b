package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.LibUtils;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fiji-clip} in child JVMs whose every HTTP(S) connection goes to a local trap: the engine starts on the CPU
 * jar without any connection, {@code gpu-setup} is what reaches for publish.djl.ai, and a {@code PYTORCH_LIBRARY_PATH}
 * folder without DJL's JNI library loads because the choice names its flavour.
 */
class LibtorchStartTest {

	@TempDir
	Path dir;

	private ServerSocket trap;
	private final AtomicInteger connections = new AtomicInteger();

	@BeforeEach
	void openTrap() throws IOException {
		trap = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread t = new Thread(() -> {
			while (!trap.isClosed()) {
				try (Socket s = trap.accept()) {
					connections.incrementAndGet();
				} catch (IOException e) {
					return;
				}
			}
		}, "connection trap");
		t.setDaemon(true);
		t.start();
	}

	/** Closes the trap and removes the links to this machine's libtorch before JUnit deletes the folder (it warns about each). */
	@AfterEach
	void closeTrapAndRemoveLinks() throws IOException {
		trap.close();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path link : files.filter(Files::isSymbolicLink).collect(Collectors.toList())) Files.delete(link);
		}
	}

	/** The folder the CPU jar is unpacked to on this machine (starts the engine here). */
	private static Path cpuFolder() {
		ClipEngine.get();
		Path folder = Paths.get(LibUtils.getLibtorchPath());
		assertTrue(Files.exists(folder.resolve("libtorch_cpu.so")), "the tests' engine runs on the CPU jar: " + folder);
		return folder;
	}

	/** A DJL cache whose CPU folder links to this machine's, so nothing is unpacked again. */
	private Path cacheWithCpuFolder() throws IOException {
		Path cpu = cpuFolder();
		Path cache = dir.resolve("cache");
		Files.createDirectories(cache.resolve("pytorch"));
		Files.createSymbolicLink(cache.resolve("pytorch").resolve(cpu.getFileName()), cpu);
		return cache;
	}

	private String[] run(Map<String, String> env, String... args) throws Exception {
		String port = Integer.toString(trap.getLocalPort());
		List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
			"-Djava.awt.headless=true", "-Djava.net.useSystemProxies=false", "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + port,
			"-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=" + port, "-Dhttp.nonProxyHosts=", "-cp",
			System.getProperty("java.class.path"), "sc.fiji.clip.cli.FijiClipCli"));
		command.addAll(List.of(args));
		Path log = dir.resolve("child.log");
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
		for (String name : List.of("DJL_OFFLINE", "OPT_OUT_TRACKING", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "PYTORCH_LIBRARY_PATH",
			"PYTORCH_FLAVOR", "PYTORCH_VERSION", GpuSetup.URL_SETTING)) {
			pb.environment().remove(name);
		}
		pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
		pb.environment().putAll(env);
		Process child = pb.start();
		assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child finished");
		return new String[] { Integer.toString(child.exitValue()), Files.readString(log, StandardCharsets.UTF_8) };
	}

	@Test
	void theEngineStartsOnTheCpuJarWithoutAnyConnection() throws Exception {
		Path cache = cacheWithCpuFolder();
		String[] r = run(Map.of("ENGINE_CACHE_DIR", cache.toString()), "info", "--threads", "1");
		assertEquals("0", r[0], r[1]);
		assertTrue(r[1].contains("libtorch: 2.7.1 cpu from the pytorch-native-cpu jar, unpacked in " + cache.resolve("pytorch")), r[1]);
		assertTrue(r[1].contains("  why:    no CUDA GPU visible"), r[1]);
		assertEquals(0, connections.get(), "no connection at all, telemetry included (DJL_OFFLINE unset in the child)");
	}

	@Test
	void gpuSetupIsWhatReachesForDjlsSiteAndItLeavesNothingWhenItCannot() throws Exception {
		Path cache = dir.resolve("cache");
		String[] r = run(Map.of("ENGINE_CACHE_DIR", cache.toString()), "gpu-setup");
		assertEquals("2", r[0], r[1]);
		assertTrue(connections.get() > 0, "it tried to connect");
		assertTrue(r[1].contains("Could not download libtorch 2.7.1 cu128 from https://publish.djl.ai/pytorch/2.7.1/files.txt"), r[1]);
		assertTrue(r[1].contains("needs the internet once") && r[1].contains("PYTORCH_LIBRARY_PATH"), r[1]);
		assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
		assertFalse(Files.exists(cache), "nothing written");
	}

	/** A pip-style torch/lib: libtorch's files (links to this machine's CPU ones) and version.py, no JNI library. */
	private Path pipStyleLib() throws IOException {
		Path torch = dir.resolve("site-packages/torch");
		Path lib = Files.createDirectories(torch.resolve("lib"));
		try (Stream<Path> files = Files.list(cpuFolder())) {
			for (Path f : files.filter(f -> !f.getFileName().toString().contains("djl_torch")).collect(Collectors.toList())) {
				Files.createSymbolicLink(lib.resolve(f.getFileName()), f);
			}
		}
		Files.writeString(torch.resolve("version.py"), "__version__ = '2.7.1+cpu'\n");
		return lib;
	}

	@Test
	void aLibraryPathWithoutDjlsJniLibraryLoadsBecauseTheFlavourIsNamed() throws Exception {
		Path lib = pipStyleLib();
		Path cache = dir.resolve("cache");
		String[] r = run(Map.of("ENGINE_CACHE_DIR", cache.toString(), "PYTORCH_LIBRARY_PATH", lib.toString()), "info", "--threads", "1");
		assertEquals("0", r[0], r[1]);
		assertTrue(r[1].contains("libtorch: 2.7.1 cpu from PYTORCH_LIBRARY_PATH=" + lib), r[1]);
		assertTrue(r[1].contains("  why:    PYTORCH_LIBRARY_PATH is set; PyTorch 2.7.1+cpu beside it"), r[1]);
		try (Stream<Path> files = Files.walk(cache)) {
			assertTrue(files.anyMatch(p -> p.toString().endsWith("-cpu-linux-x86_64" + File.separator + "0.35.1-libdjl_torch.so")),
				"DJL unpacked the cpu JNI library from the jar into its cache");
		}
		assertEquals(0, connections.get());
	}

	@Test
	void withoutANamedFlavourDjlAsksTheJarForAJniLibraryItLacks() throws Exception {
		Path lib = pipStyleLib();
		String[] r = run(Map.of("ENGINE_CACHE_DIR", dir.resolve("cache").toString(), "PYTORCH_LIBRARY_PATH", lib.toString(),
			"PYTORCH_FLAVOR", ""), "info", "--threads", "1");
		assertEquals("2", r[0], r[1]);
		assertTrue(r[1].contains("The libtorch in PYTORCH_LIBRARY_PATH=" + lib + " could not load")
			&& r[1].contains("jnilib/linux-x86_64/cpu-precxx11/libdjl_torch.so"), r[1]);
	}
}
