package sc.fiji.clip.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/**
 * Indexing and searching with the tiny random Hugging Face CLIP, whose embeddings tell textures apart: a planted
 * near-duplicate is found first, an update embeds only what changed, a cancelled run keeps whole files, and an index
 * of another model or a folder that is no index is refused.
 */
class IndexerTest {

	private static ClipModel model;

	@TempDir
	Path dir;

	@BeforeAll
	static void load() {
		model = ModelFiles.load(Fixtures.hfClipTiny(), Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	/**
	 * A picture of random coloured rectangles on a random background; with {@code base}, that picture with up to
	 * {@code amount} grey levels of noise added.
	 */
	static BufferedImage noise(long seed, BufferedImage base, int amount) {
		Random random = new Random(seed);
		BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
		if (base == null) {
			java.awt.Graphics2D g = image.createGraphics();
			g.setColor(new java.awt.Color(random.nextInt(1 << 24)));
			g.fillRect(0, 0, 40, 40);
			for (int i = 0; i < 6; i++) {
				g.setColor(new java.awt.Color(random.nextInt(1 << 24)));
				g.fillRect(random.nextInt(30), random.nextInt(30), 5 + random.nextInt(20), 5 + random.nextInt(20));
			}
			g.dispose();
			return image;
		}
		for (int y = 0; y < 40; y++) {
			for (int x = 0; x < 40; x++) {
				int rgb = base.getRGB(x, y), out = 0;
				for (int shift = 0; shift <= 16; shift += 8) {
					int v = (rgb >> shift & 0xff) + random.nextInt(2 * amount + 1) - amount;
					out |= Math.max(0, Math.min(255, v)) << shift;
				}
				image.setRGB(x, y, out);
			}
		}
		return image;
	}

	static Path save(BufferedImage image, Path file) throws IOException {
		Files.createDirectories(file.getParent());
		ImageIO.write(image, "png", file.toFile());
		return file;
	}

	private Path collection(int n) throws IOException {
		Path images = dir.resolve("images");
		for (int i = 0; i < n; i++) save(noise(i, null, 0), images.resolve(String.format("img%02d.png", i)));
		return images;
	}

	private Indexer.Builder indexer() {
		return Indexer.builder(model, Fixtures.hfClipTiny());
	}

	@Test
	void aPlantedNearDuplicateIsFoundFirst() throws IOException {
		Path images = collection(12);
		BufferedImage original = noise(99, null, 0);
		save(original, images.resolve("sub/planted.png"));
		Path query = save(noise(5, original, 6), dir.resolve("query.png"));
		IndexSummary summary = indexer().build().update(dir.resolve("index"), List.of(images));
		assertEquals(13, summary.rows());
		assertEquals(13, summary.embeddedFiles());
		try (EmbeddingIndex index = EmbeddingIndex.open(dir.resolve("index"))) {
			List<SearchHit> hits = new IndexSearch(index, model, 2).search(new Query().image(query), 3);
			assertEquals(images.resolve("sub/planted.png").toAbsolutePath().toString(), hits.get(0).plane().path(),
				hits.toString());
			assertTrue(hits.get(0).score() > hits.get(1).score(), hits.toString());
			assertEquals(1, hits.get(0).rank());
		}
	}

	@Test
	void anUpdateEmbedsOnlyNewAndChangedFilesAndDropsRemovedOnes() throws IOException {
		Path images = collection(4);
		Path index = dir.resolve("index");
		indexer().build().update(index, List.of(images));
		Map<String, float[]> before = rows(index);

		Path changed = images.resolve("img01.png");
		save(noise(1234, null, 0), changed);
		Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
		Files.delete(images.resolve("img02.png"));
		save(noise(77, null, 0), images.resolve("new.png"));

		IndexSummary summary = indexer().build().update(index, List.of());
		assertEquals(2, summary.keptFiles(), summary.toString());
		assertEquals(2, summary.embeddedFiles(), summary.toString());
		assertEquals(1, summary.removedFiles(), summary.toString());
		assertEquals(4, summary.rows());
		Map<String, float[]> after = rows(index);
		assertEquals(before.keySet().size(), after.keySet().size());
		for (String kept : List.of("img00.png", "img03.png")) {
			assertArrayEquals(before.get(key(images, kept)), after.get(key(images, kept)), kept + " was kept as it was");
		}
		assertFalse(after.containsKey(key(images, "img02.png")));
		assertTrue(after.containsKey(key(images, "new.png")));
		assertFalse(java.util.Arrays.equals(before.get(key(images, "img01.png")), after.get(key(images, "img01.png"))),
			"the changed file was embedded again");
		float[] fresh = Query.imageVector(model, changed);
		assertArrayEquals(fresh, after.get(key(images, "img01.png")), 1e-5f);

		IndexSummary again = indexer().build().update(index, List.of());
		assertEquals(0, again.embeddedFiles());
		assertEquals(4, again.keptFiles());
		try (var files = Files.list(dir)) {
			assertEquals(List.of("images", "index"), files.map(p -> p.getFileName().toString()).sorted()
				.collect(java.util.stream.Collectors.toList()), "no partial or previous folder is left behind");
		}
	}

	private static String key(Path images, String name) {
		return images.resolve(name).toAbsolutePath().toString();
	}

	private static Map<String, float[]> rows(Path folder) {
		Map<String, float[]> rows = new HashMap<>();
		try (EmbeddingIndex index = EmbeddingIndex.open(folder)) {
			for (int i = 0; i < index.size(); i++) {
				float[] v = new float[index.dimension()];
				index.matrix().row(i, v);
				rows.put(index.plane(i).path(), v);
			}
		}
		return rows;
	}

	@Test
	void aCancelledRunKeepsWholeFilesAndTheNextRunGoesOn() throws IOException {
		Path images = collection(6);
		Path index = dir.resolve("index");
		List<Long> seen = new ArrayList<>();
		ProgressListener cancelAfterTwo = new ProgressListener() {
			@Override
			public void progress(long done, long total) {
				seen.add(done);
			}

			@Override
			public boolean isCancelled() {
				return seen.size() >= 2;
			}
		};
		IndexSummary first = indexer().batchSize(1).progress(cancelAfterTwo).build().update(index, List.of(images));
		assertTrue(first.cancelled());
		assertTrue(first.rows() >= 1 && first.rows() < 6, first.toString());
		try (EmbeddingIndex opened = EmbeddingIndex.open(index)) {
			assertEquals(first.rows(), opened.size());
		}
		IndexSummary second = indexer().build().update(index, List.of());
		assertEquals(6, second.rows());
		assertEquals(first.rows(), second.keptFiles());
	}

	@Test
	void anIndexOfAnotherModelIsRefused() throws IOException {
		Path images = collection(2);
		Path index = dir.resolve("index");
		indexer().build().update(index, List.of(images));
		try (ClipModel other = ModelFiles.load(ColourModel.file(), Device.cpu())) {
			ClipException update = assertThrows(ClipException.class,
				() -> Indexer.builder(other, ColourModel.file()).build().update(index, List.of()));
			assertTrue(update.getMessage().contains("made with another model"), update.getMessage());
			try (EmbeddingIndex opened = EmbeddingIndex.open(index)) {
				ClipException search = assertThrows(ClipException.class, () -> new IndexSearch(opened, other, 1));
				assertTrue(search.getMessage().contains("another model"), search.getMessage());
			}
		}
		ClipException options = assertThrows(ClipException.class,
			() -> indexer().half(true).build().update(index, List.of()));
		assertTrue(options.getMessage().contains("float32"), options.getMessage());
	}

	@Test
	void planesLinesKeepQuotedPathsWithCommasQuotesAndLineBreaks() {
		IndexedPlane p = EmbeddingIndex.plane("\"/a, b/\"\"c\"\".tif\",0,2,3,42,1700", null);
		assertEquals("/a, b/\"c\".tif", p.path());
		assertEquals(0, p.channel());
		assertEquals(3, p.frame());
		assertEquals(1700, p.modified());
		assertEquals("/x\ny.png", EmbeddingIndex.plane("\"/x\ny.png\",1,1,1,1,1", null).path());
		assertEquals(null, EmbeddingIndex.plane("/x.png,1,1,one,1,1", null));
		String shared = "/same.tif";
		assertTrue(shared == EmbeddingIndex.plane("/same.tif,1,1,1,1,1", shared).path(), "the planes of a file share a string");
	}

	@Test
	void badInputsGetClearMessagesAndWriteNothing() throws IOException {
		Path images = collection(1);
		Path notIndex = Files.createDirectories(dir.resolve("notes"));
		Files.writeString(notIndex.resolve("todo.txt"), "x");
		ClipException notEmpty = assertThrows(ClipException.class, () -> indexer().build().update(notIndex, List.of(images)));
		assertTrue(notEmpty.getMessage().contains("not empty and holds no index"), notEmpty.getMessage());
		ClipException missing = assertThrows(ClipException.class,
			() -> indexer().build().update(dir.resolve("i"), List.of(dir.resolve("nowhere"))));
		assertTrue(missing.getMessage().contains("nowhere: it does not exist"), missing.getMessage());
		assertFalse(Files.exists(dir.resolve("i")));
		ClipException nothing = assertThrows(ClipException.class, () -> indexer().build().update(dir.resolve("i"), List.of()));
		assertTrue(nothing.getMessage().startsWith("Nothing to index"), nothing.getMessage());
		ClipException noIndex = assertThrows(ClipException.class, () -> EmbeddingIndex.open(dir.resolve("i")));
		assertTrue(noIndex.getMessage().contains("does not exist"), noIndex.getMessage());
		ClipException notAnIndex = assertThrows(ClipException.class, () -> EmbeddingIndex.open(notIndex));
		assertTrue(notAnIndex.getMessage().contains("not a Fiji CLIP index"), notAnIndex.getMessage());

		Path broken = Files.createDirectories(dir.resolve("broken"));
		Files.write(broken.resolve("empty.png"), new byte[0]);
		IndexSummary summary = indexer().build().update(dir.resolve("empty-index"), List.of(broken));
		assertEquals(0, summary.rows());
		assertEquals(1, summary.skipped());
		try (EmbeddingIndex empty = EmbeddingIndex.open(dir.resolve("empty-index"))) {
			ClipException e = assertThrows(ClipException.class, () -> new IndexSearch(empty, model, 1));
			assertTrue(e.getMessage().contains("is empty"), e.getMessage());
		}
		Path text = Files.writeString(dir.resolve("query.txt"), "not an image");
		ClipException query = assertThrows(ClipException.class, () -> new Query().image(text));
		assertTrue(query.getMessage().contains("is not an image file"), query.getMessage());
		ClipException cancel = assertThrows(ClipException.class, () -> new Query().text("a").minusText("a").vector(model));
		assertTrue(cancel.getMessage().contains("cancel out"), cancel.getMessage());
	}
}
