package sc.fiji.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TasksTest {

	@Test
	void resultIsReturnedAndUncheckedFailuresAreRethrownAsTheyAre() {
		assertEquals("done", Tasks.result(CompletableFuture.completedFuture("done"), "Work"));
		IllegalArgumentException thrown = new IllegalArgumentException("bad");
		assertSame(thrown, assertThrows(IllegalArgumentException.class,
			() -> Tasks.result(CompletableFuture.failedFuture(thrown), "Work")));
	}

	@Test
	void checkedFailuresAreWrappedWithTheirCause() {
		IOException io = new IOException("disk");
		RuntimeException wrapped = Tasks.cause(new ExecutionException(io));
		assertTrue(wrapped instanceof IllegalStateException);
		assertSame(io, wrapped.getCause());
	}

	@Test
	void anInterruptSaysWhatWasInterruptedAndKeepsTheFlag() {
		Thread.currentThread().interrupt();
		try {
			ClipException e = assertThrows(ClipException.class, () -> Tasks.result(new CompletableFuture<>(), "Labelling"));
			assertEquals("Labelling was interrupted.", e.getMessage());
			assertTrue(Thread.interrupted(), "the flag is set again (and cleared here)");
		} finally {
			Thread.interrupted();
		}
	}

	@Test
	void allWaitsForEveryTaskBeforeRethrowingTheFirstFailure() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			assertEquals(List.of(1, 2), Tasks.all(List.of(pool.submit(() -> 1), pool.submit(() -> 2))));
			AtomicBoolean slowFinished = new AtomicBoolean();
			IllegalStateException thrown = new IllegalStateException("first");
			Future<Integer> fails = pool.submit(() -> {
				throw thrown;
			});
			Future<Integer> slow = pool.submit(() -> {
				Thread.sleep(200);
				slowFinished.set(true);
				return 3;
			});
			assertSame(thrown, assertThrows(IllegalStateException.class, () -> Tasks.all(List.of(fails, slow))));
			assertTrue(slowFinished.get(), "the slow task was done before the failure was rethrown");
		} finally {
			pool.shutdownNow();
		}
	}
}
