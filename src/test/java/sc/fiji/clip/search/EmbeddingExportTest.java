package sc.fiji.clip.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

/** Embeddings written as CSV, npz and safetensors read back equal, with their planes named beside them. */
class EmbeddingExportTest {

	@TempDir
	Path dir;

	private static void export(Path file, NDManager manager) {
		try (EmbeddingExport e = EmbeddingExport.to(file)) {
			e.add("a, b.tif", 2, 3, 4, new float[] { 9, 0.6f, -0.8f, 0f }, 1, 3);
			e.add("c.png", 1, 1, 1, new float[] { 1f / 3, 2f / 3, -2f / 3 }, 0, 3);
			e.write(manager);
		}
		assertFalse(Files.exists(file.resolveSibling("." + file.getFileName() + ".spool")), "the spool is removed");
	}

	@Test
	void binaryFilesReadBackEqualWithDjl() throws IOException {
		for (String ext : List.of("npz", "safetensors")) {
			Path file = dir.resolve("e." + ext);
			try (NDManager manager = NDManager.newBaseManager()) {
				export(file, manager);
				NDList back;
				try (InputStream in = Files.newInputStream(file)) {
					back = NDList.decode(manager, in);
				}
				assertArrayEquals(new float[] { 0.6f, -0.8f, 0f, 1f / 3, 2f / 3, -2f / 3 }, back.get("embeddings").toFloatArray(), ext);
				assertEquals(2, back.get("embeddings").getShape().get(0), ext);
				assertArrayEquals(new int[] { 2, 1 }, back.get("c").toIntArray(), ext);
				assertArrayEquals(new int[] { 4, 1 }, back.get("t").toIntArray(), ext);
			}
			assertEquals("row,image,c,z,t\n0,\"a, b.tif\",2,3,4\n1,c.png,1,1,1\n",
				Files.readString(dir.resolve("e.planes.csv")), ext);
		}
	}

	@Test
	void csvHasOneColumnPerValue() {
		Path file = dir.resolve("e.csv");
		try (NDManager manager = NDManager.newBaseManager()) {
			export(file, manager);
		}
		List<String> lines = readLines(file);
		assertEquals("image,c,z,t,e0,e1,e2", lines.get(0));
		String[] row = lines.get(2).split(",");
		assertEquals("c.png", row[0]);
		assertEquals(1f / 3, Float.parseFloat(row[4]));
		assertEquals(-2f / 3, Float.parseFloat(row[6]));
	}

	private static List<String> readLines(Path file) {
		try {
			return Files.readAllLines(file);
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	@Test
	void anUnknownExtensionIsRefused() {
		ClipException e = assertThrows(ClipException.class, () -> EmbeddingExport.format(dir.resolve("e.xlsx")));
		assertEquals("Cannot write embeddings to " + dir.resolve("e.xlsx") + ": name it .csv, .npz or .safetensors.", e.getMessage());
	}
}
