package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 10 000 training steps of {@code tiny} and 100 000 embedded images keep resident memory flat: after warm-up it grows
 * by less than 5 % as {@link LongRunMemoryBenchmark#growthPercent} measures it (native tensors live outside the Java
 * heap, so this is what catches a leaked NDArray).
 */
class LongRunMemoryTest {

	@Test
	void residentMemoryStaysFlatOverALongRun() throws Exception {
		List<Long> rss = LongRunMemoryBenchmark.run(10_000, 100_000);
		assertEquals(20, rss.size());
		double training = LongRunMemoryBenchmark.growthPercent(rss.subList(0, 10));
		double labelling = LongRunMemoryBenchmark.growthPercent(rss.subList(10, 20));
		assertTrue(training < 5, "training grew by " + training + " %: " + rss.subList(0, 10) + " kB");
		assertTrue(labelling < 5, "labelling grew by " + labelling + " %: " + rss.subList(10, 20) + " kB");
	}

	@Test
	void growthSeesATrendButNotTheAllocatorsToAndFroOrItsTransientPeaks() {
		List<Long> noise = List.of(308L, 268L, 288L, 287L, 286L, 268L, 286L, 289L, 283L, 282L);
		List<Long> leak = List.of(268L, 270L, 275L, 280L, 285L, 290L, 295L, 300L, 305L, 310L);
		assertTrue(Math.abs(LongRunMemoryBenchmark.growthPercent(noise)) < 5, "the allocator's to and fro is below the"
			+ " threshold of the long run (2.1 %)");
		assertTrue(LongRunMemoryBenchmark.growthPercent(leak) > 5);
		// measured in a full test run: two transient peaks of the allocator, one in the last third
		List<Long> peaks = List.of(704156L, 534364L, 534472L, 534580L, 587040L, 537124L, 538088L, 583964L, 537132L, 538092L);
		assertTrue(LongRunMemoryBenchmark.growthPercent(peaks) < 5, "transient peaks are no trend");
		// a clean-clone CI run: a 1.9 % rise of the level and two transient peaks in the second half
		List<Long> latePeaks = List.of(914612L, 635984L, 636084L, 636104L, 740132L, 647844L, 647844L, 647848L, 738120L,
			647852L);
		assertTrue(LongRunMemoryBenchmark.growthPercent(latePeaks) < 5, "late transient peaks are no trend");
		List<Long> leakWithPeaks = List.of(268L, 270L, 300L, 280L, 285L, 290L, 295L, 300L, 305L, 310L);
		assertTrue(LongRunMemoryBenchmark.growthPercent(leakWithPeaks) > 5, "a trend is seen through the peaks");
	}
}
