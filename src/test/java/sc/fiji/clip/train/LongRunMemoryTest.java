package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10 000 training steps of {@code tiny} and 100 000 embedded images keep resident memory flat: after warm-up it grows
 * by less than 5 % (native tensors live outside the Java heap, so this is what catches a leaked NDArray).
 */
class LongRunMemoryTest {

	@Test
	void residentMemoryStaysFlatOverALongRun() throws Exception {
		List<Long> rss = LongRunMemoryBenchmark.run(10_000, 100_000);
		assertEquals(20, rss.size());
		long trainWarm = rss.get(1), trainEnd = rss.get(9);
		long labelWarm = rss.get(10), labelEnd = rss.get(19);
		assertTrue(trainEnd < trainWarm * 1.05, "training grew from " + trainWarm + " kB to " + trainEnd + " kB");
		assertTrue(labelEnd < labelWarm * 1.05, "labelling grew from " + labelWarm + " kB to " + labelEnd + " kB");
	}
}
