package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
}
