package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BatchThreadsTest {

	@Test
	void eachOfSeveralThreadsRunsLibtorchOnOneCoreAndOtherThreadsKeepTheirCount() throws Exception {
		int engine = ClipEngine.threads();
		List<Future<Integer>> counts = new ArrayList<>();
		try (BatchThreads threads = BatchThreads.start(3, "test")) {
			assertEquals(3, threads.size());
			for (int i = 0; i < 6; i++) counts.add(threads.submit(JniUtils::getNumThreads));
			for (Future<Integer> c : counts) assertEquals(1, c.get());
		}
		assertEquals(engine, ClipEngine.threads(), "the caller's count");
		AtomicInteger fresh = new AtomicInteger();
		Thread t = new Thread(() -> fresh.set(JniUtils.getNumThreads()));
		t.start();
		t.join();
		assertEquals(engine, fresh.get(), "a thread new to libtorch starts with the engine's count");
	}

	@Test
	void oneThreadKeepsTheEngineCountAndAutogradIsOff() throws Exception {
		int engine = ClipEngine.threads();
		try (BatchThreads threads = BatchThreads.start(1, "test")) {
			assertEquals(engine, threads.submit(JniUtils::getNumThreads).get());
			assertEquals(false, threads.submit(JniUtils::isGradMode).get());
		}
	}

	@Test
	void balancedGroupsHaveAboutEqualSizesAndHoldEachItemOnce() {
		List<Long> sizes = Arrays.asList(1L, 100L, 7L, 60L, 40L, 3L, 30L);
		List<List<Long>> groups = BatchThreads.balance(sizes, Long::longValue, 2);
		assertEquals(2, groups.size());
		List<Long> seen = new ArrayList<>();
		long[] load = new long[2];
		for (int g = 0; g < 2; g++) {
			for (long size : groups.get(g)) load[g] += size;
			seen.addAll(groups.get(g));
		}
		Collections.sort(seen);
		List<Long> expected = new ArrayList<>(sizes);
		Collections.sort(expected);
		assertEquals(expected, seen, "each item in one group");
		assertTrue(Math.abs(load[0] - load[1]) <= 100, "loads " + load[0] + " and " + load[1]);
		assertEquals(1, BatchThreads.balance(sizes.subList(0, 1), Long::longValue, 4).size(), "no empty groups");
	}

	@Test
	void forEachBalancedRunsEveryItemOnceOnTheThreads() {
		List<Long> sizes = Arrays.asList(5L, 9L, 2L, 7L, 1L);
		AtomicLong sum = new AtomicLong();
		Set<String> names = Collections.synchronizedSet(new HashSet<>());
		try (BatchThreads threads = BatchThreads.start(2, "balanced")) {
			BatchThreads.forEachBalanced(threads, sizes, Long::longValue, size -> {
				sum.addAndGet(size);
				names.add(Thread.currentThread().getName());
			});
		}
		assertEquals(24, sum.get());
		assertTrue(names.stream().allMatch(n -> n.startsWith("balanced-")), "on the pool's threads: " + names);
		BatchThreads.forEachBalanced(null, sizes, Long::longValue, sum::addAndGet);
		assertEquals(48, sum.get(), "without threads, on the caller's");
	}
}
