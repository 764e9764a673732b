package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.testing.FakeLibtorchSite;

/**
 * The GPU set-up downloads DJL's files from a (here: local, fake) copy of publish.djl.ai into DJL's cache, where
 * {@link LibtorchChoice} then finds them; without network, broken or cancelled it says why and leaves nothing.
 */
class GpuSetupTest {

	static final LibtorchBuild BUILD = new LibtorchBuild("2.7.1", "0.35.1", "linux-x86_64");

	@TempDir
	Path dir;

	private final FakeLibtorchSite site = FakeLibtorchSite.standard();

	@AfterEach
	void stop() {
		site.close();
	}

	private Path cache() {
		return dir.resolve("cache/pytorch");
	}

	private static List<String> contents(Path folder) throws IOException {
		if (!Files.exists(folder)) return Collections.emptyList();
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
		}
	}

	private static byte[] jarJni(String flavor) throws IOException {
		try (InputStream in = GpuSetup.class.getClassLoader().getResourceAsStream("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so")) {
			return in.readAllBytes();
		}
	}

	@Test
	void installPutsDjlsFilesWhereTheEngineChoiceFindsThem() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start() + "/");
		List<long[]> reports = new ArrayList<>();
		List<String> messages = new ArrayList<>();
		GpuSetup.Result result = setup.install("cu128", new SetupProgress() {
			@Override
			public void message(String text) {
				messages.add(text);
			}

			@Override
			public void download(long done, long total, String file) {
				reports.add(new long[] { done, total });
			}
		});

		Path folder = cache().resolve("2.7.1-cu128-linux-x86_64");
		assertEquals(folder, result.folder());
		assertFalse(result.alreadySetUp());
		assertEquals(List.of("0.35.1-libdjl_torch.so", "libc10.so", "libstdc++.so.6", "libtorch.so", "libtorch_cuda.so"),
			contents(folder), "the cu128 files unpacked, with decoded names, and the JNI library as DJL names it");
		assertEquals(List.of("2.7.1-cu128-linux-x86_64"), contents(cache()), "no temporary folder left beside it");
		for (String name : List.of("libc10.so", "libtorch.so", "libtorch_cuda.so", "libstdc++.so.6")) {
			assertArrayEquals(site.files.get("cu128/linux-x86_64/" + name), Files.readAllBytes(folder.resolve(name)), name);
		}
		assertArrayEquals(jarJni("cu128"), Files.readAllBytes(folder.resolve("0.35.1-libdjl_torch.so")),
			"the JNI library comes from the pytorch-jni jar");

		long gz = 0;
		for (String name : List.of("libc10.so", "libtorch.so", "libtorch_cuda.so", "libstdc++.so.6")) {
			gz += site.servedGz("cu128/linux-x86_64", name).length;
		}
		assertEquals(gz, result.bytes());
		long[] last = reports.get(reports.size() - 1);
		assertEquals(gz, last[0], "progress ends at the total");
		assertEquals(gz, last[1], "the total is known up front");
		assertTrue(reports.size() > 4, "progress while the 3 MB file downloads: " + reports.size());
		assertTrue(messages.stream().anyMatch(m -> m.contains(folder.toString())), "says where it went: " + messages);
		assertFalse(site.requests().stream().anyMatch(r -> r.contains("/cpu/") || r.contains("win-x86_64") || r.contains("cu126")),
			"only cu128 for this platform is fetched: " + site.requests());

		LibtorchChoice withGpu = LibtorchChoice.choose(LibtorchChoice.observe(BUILD, cache(), name -> null, 1, -1));
		assertEquals(LibtorchChoice.Source.SET_UP, withGpu.source());
		assertEquals(folder, withGpu.folder());
		assertEquals(Map.of("PYTORCH_LIBRARY_PATH", folder.toString(), "PYTORCH_FLAVOR", "cu128"), withGpu.properties());
		LibtorchChoice withoutGpu = LibtorchChoice.choose(LibtorchChoice.observe(BUILD, cache(), name -> null, 0, -1));
		assertEquals(LibtorchChoice.Source.JAR, withoutGpu.source());
		assertTrue(setup.isSetUp("cu128"));
	}

	@Test
	void aSecondInstallDownloadsNothing() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		setup.install("cu128", SetupProgress.NONE);
		int requests = site.requests().size();
		GpuSetup.Result again = setup.install("cu128", SetupProgress.NONE);
		assertTrue(again.alreadySetUp());
		assertEquals(0, again.bytes());
		assertEquals(requests, site.requests().size(), "no request the second time");
	}

	@Test
	void aFlavourTheJarLacksGetsItsJniLibraryWhereDjlDownloadsIt() throws Exception {
		GpuSetup.Result result = new GpuSetup(BUILD, cache(), site.start()).install("cu126", SetupProgress.NONE);
		assertTrue(site.requests().contains("GET /2.7.1/jnilib/0.35.1/linux-x86_64/cu126/libdjl_torch.so"), site.requests().toString());
		assertEquals("jni for cu126", Files.readString(result.folder().resolve("0.35.1-libdjl_torch.so")));
		assertEquals("torch for cu126", Files.readString(result.folder().resolve("libtorch.so")));
	}

	@Test
	void withoutNetworkItSaysWhatItTriedAndWhatElseToDoAndWritesNothing() throws Exception {
		String url = FakeLibtorchSite.closedUrl();
		GpuSetup setup = new GpuSetup(BUILD, cache(), url);
		ClipException e = assertThrows(ClipException.class, () -> setup.install("cu128", SetupProgress.NONE));
		String m = e.getMessage();
		assertTrue(m.contains(url + "/2.7.1/files.txt"), m);
		assertTrue(m.contains("internet once") && m.contains("PYTORCH_LIBRARY_PATH") && m.contains("pip install torch==2.7.1"), m);
		assertTrue(m.contains("nothing was written to " + cache()), m);
		assertFalse(Files.exists(cache()), "the cache is not even created");
	}

	@Test
	void aDownloadThatBreaksHalfwayLeavesNothing() throws Exception {
		byte[] gz = site.servedGz("cu128/linux-x86_64", "libtorch_cuda.so");
		site.serve("/2.7.1/cu128/linux-x86_64/native/lib/libtorch_cuda.so.gz", Arrays.copyOf(gz, gz.length / 2));
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		ClipException e = assertThrows(ClipException.class, () -> setup.install("cu128", SetupProgress.NONE));
		assertTrue(e.getMessage().contains("libtorch_cuda.so.gz"), e.getMessage());
		assertEquals(Collections.emptyList(), contents(cache()), "no folder, no temporary files");
		assertFalse(setup.isSetUp("cu128"));
	}

	@Test
	void aMissingFileOnTheServerLeavesNothing() throws Exception {
		site.serve("/2.7.1/cu128/linux-x86_64/native/lib/libtorch.so.gz", null);
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		ClipException e = assertThrows(ClipException.class, () -> setup.install("cu128", SetupProgress.NONE));
		assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("libtorch.so.gz"), e.getMessage());
		assertEquals(Collections.emptyList(), contents(cache()));
	}

	@Test
	void cancellingStopsTheDownloadAndLeavesNothing() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		boolean[] asked = { false };
		assertThrows(GpuSetup.Cancelled.class, () -> setup.install("cu128", new SetupProgress() {
			@Override
			public void download(long done, long total, String file) {
				asked[0] = true;
			}

			@Override
			public boolean isCancelled() {
				return asked[0];
			}
		}));
		assertTrue(site.requests().stream().noneMatch(r -> r.startsWith("GET") && r.contains("libtorch_cuda")),
			"stopped before the last files: " + site.requests());
		assertEquals(Collections.emptyList(), contents(cache()));
	}

	@Test
	void aFlavourTheSiteLacksListsTheOnesItHas() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		ClipException e = assertThrows(ClipException.class, () -> setup.install("cu999", SetupProgress.NONE));
		assertTrue(e.getMessage().contains("no cu999 build for linux-x86_64; it lists cu126, cu128."), e.getMessage());
		assertFalse(Files.exists(cache()));
	}

	@Test
	void aFlavourThatIsNotCudaIsRefusedWithoutNetwork() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		for (String flavor : new String[] { "cpu", "cu12", "../cu128", "" }) {
			ClipException e = assertThrows(ClipException.class, () -> setup.install(flavor, SetupProgress.NONE));
			assertTrue(e.getMessage().contains("Unknown flavour '" + flavor + "'") && e.getMessage().contains("cu128"), e.getMessage());
		}
		assertEquals(Collections.emptyList(), site.requests());
	}

	@Test
	void aDryRunReadsTheIndexAndSizesOnly() throws Exception {
		GpuSetup setup = new GpuSetup(BUILD, cache(), site.start());
		GpuSetup.Plan plan = setup.plan("cu128", SetupProgress.NONE);
		assertEquals(List.of("libc10.so", "libtorch.so", "libtorch_cuda.so", "libstdc++.so.6"),
			plan.files().stream().map(GpuSetup.Remote::name).collect(Collectors.toList()));
		assertEquals(site.servedGz("cu128/linux-x86_64", "libtorch_cuda.so").length, plan.files().get(2).bytes());
		assertTrue(plan.jni().url().startsWith("jar:jnilib/linux-x86_64/cu128/"), plan.jni().url());
		assertTrue(plan.lines().get(plan.lines().size() - 1).contains("5 files, unpacked into " + cache().resolve("2.7.1-cu128-linux-x86_64")),
			plan.lines().toString());
		assertTrue(site.requests().stream().allMatch(r -> r.equals("GET /2.7.1/files.txt") || r.startsWith("HEAD ")), site.requests().toString());
		assertFalse(Files.exists(cache()));
	}

	@Test
	void aFolderMirrorWorksLikeTheSite() throws Exception {
		Path mirror = dir.resolve("mirror");
		site.writeTo(mirror);
		GpuSetup.Result result = new GpuSetup(BUILD, cache(), mirror.toUri().toString()).install("cu128", SetupProgress.NONE);
		assertEquals("torch for cu128", Files.readString(result.folder().resolve("libtorch.so")));
		assertTrue(LibtorchChoice.isComplete(BUILD, result.folder()));
	}

	@Test
	void theDefaultsAreDjlsSiteAndCache() {
		GpuSetup setup = GpuSetup.defaults(null);
		String expected = System.getenv(GpuSetup.URL_SETTING) != null ? System.getenv(GpuSetup.URL_SETTING) : GpuSetup.DEFAULT_URL;
		assertEquals(expected + "/2.7.1/files.txt", setup.indexUrl());
		assertEquals(ClipEngine.cacheDir().toAbsolutePath(), setup.cacheDir());
		assertEquals("2.7.1", setup.build().version());
		assertEquals("0.35.1", setup.build().djlVersion());
		assertEquals("https://mirror.example/pytorch/2.7.1/files.txt", GpuSetup.defaults("https://mirror.example/pytorch//").indexUrl());
	}
}
