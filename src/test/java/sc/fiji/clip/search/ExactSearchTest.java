package sc.fiji.clip.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

/** Exact search gives what sorting every score gives, over several mapped blocks, threads, float16 and ties. */
class ExactSearchTest {

	@TempDir
	Path dir;

	private static float[][] rows(int n, int d, long seed) {
		Random random = new Random(seed);
		float[][] rows = new float[n][d];
		for (float[] r : rows) for (int i = 0; i < d; i++) r[i] = (float) random.nextGaussian();
		return rows;
	}

	private Path write(float[][] rows, boolean half) throws IOException {
		Path file = dir.resolve("m" + half + rows.length + ".safetensors");
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
			MatrixOutput m = new MatrixOutput(out, "embeddings", rows.length, rows[0].length, half, Map.of());
			for (float[] r : rows) m.row(r, 0);
			m.finish();
		}
		return file;
	}

	/** Rows by descending dot product with {@code q}, ties by row. */
	private static List<Integer> sorted(float[][] rows, float[] q) {
		List<Integer> order = new ArrayList<>();
		double[] s = new double[rows.length];
		for (int r = 0; r < rows.length; r++) {
			order.add(r);
			for (int i = 0; i < q.length; i++) s[r] += rows[r][i] * q[i];
		}
		order.sort(Comparator.<Integer>comparingDouble(r -> -s[r]).thenComparing(r -> r));
		return order;
	}

	@Test
	void topKIsTheBestOfAllScoresWhateverTheThreads() throws IOException {
		int d = 36; // not a multiple of 4 or 8
		float[][] rows = rows(5003, d, 1);
		Path file = write(rows, false);
		float[] q = rows(1, d, 2)[0];
		List<Integer> expected = sorted(rows, q).subList(0, 25);
		for (int threads : new int[] { 1, 3 }) {
			try (EmbeddingMatrix m = EmbeddingMatrix.open(file, "embeddings")) {
				List<ExactSearch.Scored> top = new ExactSearch(m, threads).top(q, 25);
				List<Integer> got = new ArrayList<>();
				for (ExactSearch.Scored s : top) got.add((int) s.row());
				assertEquals(expected, got, threads + " threads");
			}
		}
	}

	@Test
	void twoBlocksOnTwoThreadsInFloat16GiveTheBestRows() throws IOException {
		int d = 512;
		int rowsPerBlock = EmbeddingMatrix.BLOCK_BYTES / (d * 2);
		float[][] rows = rows(rowsPerBlock + 300, d, 3); // two float16 blocks
		float[] q = rows(1, d, 4)[0];
		List<Integer> expected = sorted(rows, q).subList(0, 5);
		try (EmbeddingMatrix m = EmbeddingMatrix.open(write(rows, true), "embeddings")) {
			assertEquals(2, m.blockCount());
			assertTrue(m.half());
			List<Integer> got = new ArrayList<>();
			for (ExactSearch.Scored s : new ExactSearch(m, 2).top(q, 5)) got.add((int) s.row());
			assertEquals(expected, got);
			float[] last = new float[d];
			m.row(rows.length - 1, last);
			for (int i = 0; i < d; i++) assertEquals(rows[rows.length - 1][i], last[i], Math.abs(rows[rows.length - 1][i]) * 1e-3 + 1e-7);
		}
	}

	@Test
	void tiesGoToTheLowerRowAndKIsAtMostTheRows() throws IOException {
		float[][] rows = { { 1, 0 }, { 0, 1 }, { 1, 0 }, { 1, 0 } };
		try (EmbeddingMatrix m = EmbeddingMatrix.open(write(rows, false), "embeddings")) {
			List<ExactSearch.Scored> top = new ExactSearch(m, 2).top(new float[] { 1, 0 }, 10);
			assertEquals(4, top.size());
			assertEquals(List.of(0L, 2L, 3L, 1L), List.of(top.get(0).row(), top.get(1).row(), top.get(2).row(), top.get(3).row()));
		}
	}

	@Test
	void aCutOffOrForeignFileIsRefused() throws IOException {
		Path file = write(rows(10, 8, 5), false);
		byte[] bytes = Files.readAllBytes(file);
		Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 4));
		ClipException e = assertThrows(ClipException.class, () -> EmbeddingMatrix.open(cut, "embeddings"));
		assertTrue(e.getMessage().contains("shorter than its header says"), e.getMessage());
		ClipException name = assertThrows(ClipException.class, () -> EmbeddingMatrix.open(file, "other"));
		assertTrue(name.getMessage().contains("no tensor \"other\""), name.getMessage());
		Path text = Files.writeString(dir.resolve("x.safetensors"), "hello, world");
		assertThrows(ClipException.class, () -> EmbeddingMatrix.open(text, "embeddings"));
	}

	@Test
	void halfPrecisionRoundsToNearestEven() {
		assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
		assertEquals(0x7bff, Half.fromFloat(65504f) & 0xffff);
		assertEquals(0x7c00, Half.fromFloat(1e6f) & 0xffff);
		assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xffff);
		assertEquals(0x8000, Half.fromFloat(-0f) & 0xffff);
		assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff, "a tie rounds to the even neighbour");
		assertEquals(0x3c01, Half.fromFloat(1f + 0x1p-11f + 0x1p-20f) & 0xffff);
		Random random = new Random(6);
		for (int i = 0; i < 10000; i++) {
			float f = (float) random.nextGaussian();
			float back = Half.toFloat(Half.fromFloat(f));
			assertEquals(f, back, Math.abs(f) * 0x1p-11f + 0x1p-25f, "" + f);
			assertEquals(back, Half.toFloat(Half.fromFloat(back)), "float16 values convert exactly");
		}
	}
}
