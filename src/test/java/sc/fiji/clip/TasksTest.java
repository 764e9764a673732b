package sc.fiji.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
}
