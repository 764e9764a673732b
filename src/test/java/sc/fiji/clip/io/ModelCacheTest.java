package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/**
 * The model cache on its own, with tiny models: a counting loader stands in for reading the file, so the files
 * only need to exist (the cache looks at their path, time and size).
 */
class ModelCacheTest {

	@TempDir
	Path dir;

	private final AtomicInteger loads = new AtomicInteger();
	private final List<ClipModel> made = new ArrayList<>();

	private ClipModel tiny(Path path, Device device) {
		loads.incrementAndGet();
		ClipModel m = ClipModel.create(ClipPreset.TINY.config(), 1, device);
		synchronized (made) {
			made.add(m);
		}
		return m;
	}

	@AfterEach
	void closeModels() {
		made.forEach(ClipModel::close);
	}

	private Path file(String name) throws Exception {
		return Files.write(dir.resolve(name), new byte[] { 1, 2, 3 });
	}

	private static boolean isOpen(ClipModel model) {
		return model.weights().manager().isOpen();
	}

	private long oneModel() {
		try (ClipModel m = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu())) {
			return ModelCache.estimateBytes(m);
		}
	}

	@Test
	void aSecondLeaseOfTheSameFileAndDeviceGivesTheSameModelWithoutLoading() throws Exception {
		Path a = file("a.zip");
		try (ModelCache cache = new ModelCache(1L << 30, this::tiny)) {
			ClipModel first;
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				first = lease.model();
			}
			try (ModelLease lease = cache.lease(dir.resolve(".").resolve("a.zip"), Device.cpu())) {
				assertSame(first, lease.model(), "the same real path gives the cached model");
				assertTrue(isOpen(first));
			}
			assertEquals(1, loads.get());
			assertEquals(1, cache.loads());
			assertTrue(cache.holds(a, Device.cpu()));
		}
	}

	@Test
	void aTouchedFileLoadsAgainAndItsOldVersionIsClosed() throws Exception {
		Path a = file("a.zip");
		try (ModelCache cache = new ModelCache(1L << 30, this::tiny)) {
			ClipModel old;
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				old = lease.model();
			}
			Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				assertNotSame(old, lease.model());
			}
			assertEquals(2, loads.get());
			assertFalse(isOpen(old), "the old version is closed");
			assertEquals(1, cache.size());
		}
	}

	@Test
	void leasesOfOneLoadedModelShareItsMemoAndANewVersionStartsAnEmptyOne() throws Exception {
		Path a = file("a.zip");
		try (ModelCache cache = new ModelCache(1L << 30, this::tiny)) {
			ModelMemo memo;
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				memo = lease.memo();
				memo.get("labels", () -> new float[] { 1 });
			}
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				assertSame(memo, lease.memo());
			}
			Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
			try (ModelLease lease = cache.lease(a, Device.cpu())) {
				assertNotSame(memo, lease.memo());
				assertEquals(0, lease.memo().size(), "what was derived from the old file is not reused");
			}
		}
	}

	@Test
	void aMemoKeepsTheMostRecentlyUsedValuesUpToItsCapacity() {
		ModelMemo memo = new ModelMemo();
		AtomicInteger computed = new AtomicInteger();
		for (int i = 0; i <= ModelMemo.CAPACITY; i++) {
			int n = i;
			memo.get(n, () -> { computed.incrementAndGet(); return n; });
			memo.get(0, () -> { computed.incrementAndGet(); return -1; }); // key 0 stays the most recent
		}
		assertEquals(ModelMemo.CAPACITY, memo.size());
		assertEquals(ModelMemo.CAPACITY + 1, computed.get(), "each key computed once");
		assertEquals(0, (int) memo.get(0, () -> -1));
		assertEquals(-1, (int) memo.get(1, () -> -1), "the least recently used key was dropped");
	}

	@Test
	void underATinyBudgetTheLeastRecentlyUsedIdleModelIsClosed() throws Exception {
		Path a = file("a.zip"), b = file("b.zip"), c = file("c.zip");
		try (ModelCache cache = new ModelCache(2 * oneModel(), this::tiny)) {
			ClipModel ma, mb, mc;
			try (ModelLease l = cache.lease(a, Device.cpu())) {
				ma = l.model();
			}
			try (ModelLease l = cache.lease(b, Device.cpu())) {
				mb = l.model();
			}
			try (ModelLease l = cache.lease(a, Device.cpu())) {
				assertSame(ma, l.model(), "a is now the most recently used");
			}
			try (ModelLease l = cache.lease(c, Device.cpu())) {
				mc = l.model();
			}
			assertFalse(isOpen(mb), "b, least recently used, was evicted");
			assertTrue(isOpen(ma) && isOpen(mc));
			assertEquals(2 * oneModel(), cache.bytesHeld());
			assertFalse(cache.holds(b, Device.cpu()));
		}
	}

	@Test
	void aLeasedModelIsNeverClosedUnderItEvenOverBudget() throws Exception {
		Path a = file("a.zip"), b = file("b.zip");
		try (ModelCache cache = new ModelCache(oneModel(), this::tiny)) {
			try (ModelLease held = cache.lease(a, Device.cpu())) {
				try (ModelLease other = cache.lease(b, Device.cpu())) {
					assertTrue(isOpen(held.model()) && isOpen(other.model()), "both leased: both open, over budget");
				}
				cache.setBudget(0);
				assertTrue(isOpen(held.model()), "still leased");
				try (ModelLease again = cache.lease(a, Device.cpu())) {
					assertSame(held.model(), again.model(), "a leased model is shared, not loaded again");
				}
				assertTrue(isOpen(held.model()), "one lease closed, one still open");
				assertEquals(2, loads.get());
			}
			assertEquals(0, cache.size(), "budget 0: released models are closed");
			made.forEach(m -> assertFalse(isOpen(m)));
		}
	}

	@Test
	void budgetZeroLoadsForEveryLeaseAndClosesOnRelease() throws Exception {
		Path a = file("a.zip");
		try (ModelCache cache = new ModelCache(0, this::tiny)) {
			for (int i = 0; i < 3; i++) {
				ClipModel m;
				try (ModelLease l = cache.lease(a, Device.cpu())) {
					m = l.model();
				}
				assertFalse(isOpen(m));
			}
			assertEquals(3, loads.get());
		}
	}

	@Test
	void closingTheCacheClosesIdleModelsNowAndLeasedOnesWhenTheirLeaseCloses() throws Exception {
		Path a = file("a.zip"), b = file("b.zip");
		ModelCache cache = new ModelCache(1L << 30, this::tiny);
		ClipModel idle;
		try (ModelLease l = cache.lease(a, Device.cpu())) {
			idle = l.model();
		}
		ModelLease held = cache.lease(b, Device.cpu());
		cache.close();
		assertFalse(isOpen(idle));
		assertTrue(isOpen(held.model()));
		held.close();
		held.close();
		assertFalse(made.get(1).weights().manager().isOpen());
		assertThrows(IllegalStateException.class, held::model);
		assertThrows(IllegalStateException.class, () -> cache.lease(a, Device.cpu()));
	}

	@Test
	void leasesOfOneModelAtOnceShareOneLoad() throws Exception {
		Path a = file("a.zip");
		ModelCache.Loader slow = (p, d) -> {
			try {
				Thread.sleep(300);
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			return tiny(p, d);
		};
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try (ModelCache cache = new ModelCache(1L << 30, slow)) {
			List<Future<ClipModel>> got = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				got.add(pool.submit(() -> {
					try (ModelLease l = cache.lease(a, Device.cpu())) {
						return l.model();
					}
				}));
			}
			for (Future<ClipModel> f : got) assertSame(got.get(0).get(30, TimeUnit.SECONDS), f.get());
			assertEquals(1, loads.get());
		} finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aFailedLoadIsReportedAndTheNextLeaseTriesAgain() throws Exception {
		Path a = file("a.zip");
		AtomicInteger calls = new AtomicInteger();
		ModelCache.Loader flaky = (p, d) -> {
			if (calls.incrementAndGet() == 1) throw new ClipException("broken " + p);
			return tiny(p, d);
		};
		try (ModelCache cache = new ModelCache(1L << 30, flaky)) {
			assertThrows(ClipException.class, () -> cache.lease(a, Device.cpu()));
			assertEquals(0, cache.size());
			try (ModelLease l = cache.lease(a, Device.cpu())) {
				assertTrue(isOpen(l.model()));
			}
			assertThrows(ClipException.class, () -> cache.lease(dir.resolve("missing.zip"), Device.cpu()));
		}
	}

	@Test
	void budgetsParseFromBytesAndSuffixes() {
		assertEquals(0, ModelCache.parseBytes("0"));
		assertEquals(512L << 20, ModelCache.parseBytes("512m"));
		assertEquals(2L << 30, ModelCache.parseBytes(" 2G "));
		assertThrows(ClipException.class, () -> ModelCache.parseBytes("lots"));
		assertTrue(ModelCache.defaultBudget() > 0 && ModelCache.defaultBudget() <= ModelCache.MAX_DEFAULT_BUDGET);
	}
}
