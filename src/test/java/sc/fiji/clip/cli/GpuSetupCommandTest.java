package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.testing.FakeLibtorchSite;

/**
 * {@code fiji-clip gpu-setup} against a local fake of publish.djl.ai, with DJL's engine cache moved to a temporary
 * folder ({@code ENGINE_CACHE_DIR}): it says where the libtorch went and what the next start loads.
 */
class GpuSetupCommandTest {

	@TempDir
	Path dir;

	private final FakeLibtorchSite site = FakeLibtorchSite.standard();

	@AfterEach
	void stop() {
		site.close();
	}

	private String[] result(String... args) throws Exception {
		return withProperty("ENGINE_CACHE_DIR", dir.resolve("cache").toString(), () -> {
			StringWriter out = new StringWriter(), err = new StringWriter();
			int code = FijiClipCli.run(new PrintWriter(out), new PrintWriter(err), args);
			return new String[] { Integer.toString(code), out.toString(), err.toString() };
		});
	}

	/** Runs {@code work} with a system property set, restoring it after. */
	static <T> T withProperty(String key, String value, Callable<T> work) throws Exception {
		assertNull(System.getenv(key), "the environment would override " + key);
		String before = System.getProperty(key);
		System.setProperty(key, value);
		try {
			return work.call();
		} finally {
			if (before == null) System.clearProperty(key);
			else System.setProperty(key, before);
		}
	}

	@Test
	void gpuSetupSaysWhereTheLibtorchWentAndWhatTheNextStartLoads() throws Exception {
		Path folder = dir.resolve("cache/pytorch/2.7.1-cu128-linux-x86_64");
		String[] r = result("gpu-setup", "--url", site.start());
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(r[1].startsWith("libtorch 2.7.1 cu128 set up in " + folder + " (5 files, "), r[1]);
		assertTrue(r[1].contains("Next start loads libtorch 2.7.1 cpu from the pytorch-native-cpu jar: no CUDA GPU visible; "
			+ "the cu128 libtorch set up in " + folder + " is used when one is."), r[1]);
		assertTrue(r[2].contains("Downloading libtorch 2.7.1 cu128 (4 files, 3.0 MB) from http://127.0.0.1:"), r[2]);
		assertTrue(Files.isRegularFile(folder.resolve("libtorch_cuda.so")) && Files.isRegularFile(folder.resolve("0.35.1-libdjl_torch.so")));

		r = result("gpu-setup", "--url", "http://127.0.0.1:9/unused");
		assertEquals("0", r[0], "set up already: no network needed: " + String.join("\n", r));
		assertTrue(r[1].startsWith("libtorch 2.7.1 cu128 was already set up in " + folder), r[1]);
	}

	@Test
	void theFlavourComesFromPytorchFlavorWhenNotGiven() throws Exception {
		String url = site.start();
		String[] r = withProperty("PYTORCH_FLAVOR", "cu126", () -> result("gpu-setup", "--url", url));
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(Files.isDirectory(dir.resolve("cache/pytorch/2.7.1-cu126-linux-x86_64")), r[1]);
	}

	@Test
	void aDryRunListsTheFilesAndWritesNothing() throws Exception {
		String url = site.start();
		String[] r = result("gpu-setup", "--url", url, "--dry-run", "--flavor", "CU128");
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(r[1].contains(url + "/2.7.1/cu128/linux-x86_64/native/lib/libtorch_cuda.so.gz"), r[1]);
		assertTrue(r[1].contains("jar:jnilib/linux-x86_64/cu128/libdjl_torch.so"), r[1]);
		assertTrue(r[1].contains("total, 5 files, unpacked into " + dir.resolve("cache/pytorch/2.7.1-cu128-linux-x86_64")), r[1]);
		assertTrue(r[1].contains("Nothing was downloaded (--dry-run)."), r[1]);
		assertFalse(Files.exists(dir.resolve("cache")));
	}

	@Test
	void withoutNetworkItIsAUserErrorThatSaysWhatToDo() throws Exception {
		String url = FakeLibtorchSite.closedUrl();
		String[] r = result("gpu-setup", "--url", url);
		assertEquals("2", r[0], String.join("\n", r));
		assertTrue(r[2].contains("fiji-clip: Could not download libtorch 2.7.1 cu128 from " + url + "/2.7.1/files.txt"), r[2]);
		assertTrue(r[2].contains("PYTORCH_LIBRARY_PATH"), r[2]);
		assertFalse(r[2].contains("\tat "), "no stack trace without --debug");
		assertFalse(Files.exists(dir.resolve("cache")));
	}

	@Test
	void aCpuFlavourIsRefused() throws Exception {
		String[] r = result("gpu-setup", "--flavor", "cpu", "--url", site.start());
		assertEquals("2", r[0], String.join("\n", r));
		assertTrue(r[2].contains("Unknown flavour 'cpu'"), r[2]);
		assertEquals(0, site.requests().size());
	}
}
