package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.FijiClipInfo;

class ModelFilesTest {

	@TempDir
	Path dir;

	private static float[] pixels() {
		float[] px = new float[2 * 3 * 16 * 16];
		for (int i = 0; i < px.length; i++) px[i] = (float) Math.sin(i * 0.37);
		return px;
	}

	private Path savedTiny(long seed) {
		Path file = dir.resolve("tiny-" + seed + ".zip");
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), seed, Device.cpu())) {
			ModelFiles.save(model, file);
		}
		return file;
	}

	@Test
	void savedModelLoadsWithIdenticalEmbeddings() throws IOException {
		Path file = dir.resolve("m.zip");
		ClipConfig config = ClipPreset.TINY.config();
		config.fiji_clip.templates = List.of("a photo of a {}.");
		float[][] images, texts;
		try (ClipModel model = ClipModel.create(config, 11, Device.cpu())) {
			images = model.embedImages(pixels(), 2);
			texts = model.embedTexts(List.of("a red circle", "naïve 🙂"));
			ModelFiles.save(model, file);
		}
		try (ClipModel loaded = ModelFiles.load(file, Device.cpu())) {
			assertArrayEquals(images[1], loaded.embedImages(pixels(), 2)[1]);
			assertArrayEquals(texts[1], loaded.embedTexts(List.of("a red circle", "naïve 🙂"))[1]);
			assertEquals(List.of("a photo of a {}."), loaded.config().fiji_clip.templates);
		}
		assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".part")), "temporary file left behind");
		assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
			"others in the lab can read a saved model");
	}

	@Test
	void savedWeightsCarryTheMetadataTransformersRequires() throws IOException {
		try (ZipFile zip = new ZipFile(savedTiny(1).toFile())) {
			byte[] weights = zip.getInputStream(zip.getEntry(ModelFiles.WEIGHTS)).readAllBytes();
			long headerSize = ByteBuffer.wrap(weights, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
			assertEquals(0, headerSize % 8);
			String header = new String(weights, 8, (int) headerSize, StandardCharsets.UTF_8);
			assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
			assertTrue(header.contains("\"vision_model.encoder.layers.0.self_attn.q_proj.weight\""));
			String config = new String(zip.getInputStream(zip.getEntry(ModelFiles.CONFIG)).readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(config.contains("\"model_type\": \"clip\"") && config.contains("\"fiji_clip\""), config);
		}
	}

	@Test
	void truncatedFileIsAClearError() throws IOException {
		Path file = savedTiny(2);
		byte[] bytes = Files.readAllBytes(file);
		Path cut = dir.resolve("cut.zip");
		Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
		ClipException e = assertThrows(ClipException.class, () -> ModelFiles.load(cut, Device.cpu()));
		assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
	}

	@Test
	void foreignFilesAreClearErrors() throws IOException {
		Path text = dir.resolve("notes.zip");
		Files.writeString(text, "not a model");
		assertMessage(text, "not a complete zip");
		Path noConfig = zip("other.zip", "readme.txt", "hello");
		assertMessage(noConfig, "no config.json");
		Path slip = zip("slip.zip", "../../evil.txt", "x");
		assertMessage(slip, "points outside");
		Path emptyDir = Files.createDirectory(dir.resolve("folder"));
		assertMessage(emptyDir, "has no config.json");
		assertMessage(dir.resolve("missing.zip"), "does not exist");
	}

	@Test
	void newerFormatAndMismatchedWeightsAreRefusedWithReasons() throws IOException {
		ClipConfig newer = ClipPreset.TINY.config();
		newer.fiji_clip.format_version = FijiClipInfo.CURRENT_FORMAT + 1;
		assertMessage(zip("newer.zip", ModelFiles.CONFIG, newer.toJson()), "newer Fiji CLIP");

		Path file = savedTiny(3);
		ClipConfig wider = ClipPreset.TINY.config();
		wider.projection_dim = 12;
		Path mismatch = dir.resolve("mismatch");
		Files.createDirectory(mismatch);
		Files.writeString(mismatch.resolve(ModelFiles.CONFIG), wider.toJson());
		try (ZipFile zip = new ZipFile(file.toFile())) {
			Files.write(mismatch.resolve(ModelFiles.WEIGHTS), zip.getInputStream(zip.getEntry(ModelFiles.WEIGHTS)).readAllBytes());
		}
		assertMessage(mismatch, "has shape");

		Files.delete(mismatch.resolve(ModelFiles.WEIGHTS));
		Files.writeString(mismatch.resolve("pytorch_model.bin"), "pickle");
		assertMessage(mismatch, "safe_serialization=True");
	}

	@Test
	void failedWriteKeepsThePreviousModel() throws IOException {
		Path file = savedTiny(4);
		byte[] before = Files.readAllBytes(file);
		AtomicFiles.StreamOpener diskFull = path -> new OutputStream() {
			private int written;

			@Override
			public void write(int b) throws IOException {
				if (++written > 1000) throw new IOException("No space left on device");
			}
		};
		ClipException e = assertThrows(ClipException.class,
			() -> AtomicFiles.write(file, out -> out.write(new byte[100_000]), diskFull));
		assertTrue(e.getMessage().contains("previous file is unchanged"), e.getMessage());
		assertArrayEquals(before, Files.readAllBytes(file));
		assertFalse(Files.list(dir).anyMatch(p -> p.toString().endsWith(".part")), "temporary file left behind");
	}

	private Path zip(String name, String entry, String content) throws IOException {
		Path file = dir.resolve(name);
		try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
			zip.putNextEntry(new ZipEntry(entry));
			zip.write(content.getBytes(StandardCharsets.UTF_8));
			zip.closeEntry();
		}
		return file;
	}

	private static void assertMessage(Path model, String part) {
		ClipException e = assertThrows(ClipException.class, () -> ModelFiles.load(model, Device.cpu()));
		assertTrue(e.getMessage().contains(part), e.getMessage());
		assertTrue(e.getMessage().contains(model.getFileName().toString()), "message names the file: " + e.getMessage());
	}
}
