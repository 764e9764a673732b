package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.io.FixtureEmbeddings;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.io.OpenClipFolderTest;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/** {@code fiji-clip import} turns the Hugging Face fixture folder into a model .zip that reproduces it. */
class ImportCommandTest {

	@TempDir
	Path dir;

	private static String[] result(String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		int code = FijiClipCli.run(new PrintWriter(out), new PrintWriter(err), args);
		return new String[] { Integer.toString(code), out.toString(), err.toString() };
	}

	@Test
	void importedZipReproducesTheFixture() throws Exception {
		Path zip = dir.resolve("models/tiny.zip");
		String[] r = result("import", Fixtures.hfClipTiny().toString(), "--out", zip.toString(), "--threads", "2");
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(r[1].contains("position_ids"), r[1]);
		try (ZipFile z = new ZipFile(zip.toFile())) {
			for (String name : new String[] { ModelFiles.CONFIG, ModelFiles.WEIGHTS, ModelFiles.PREPROCESSOR,
				"tokenizer.json", "vocab.json", "merges.txt" }) {
				assertTrue(z.getEntry(name) != null, name + " missing from the zip");
			}
		}
		try (ClipModel model = ModelFiles.load(zip, Device.cpu())) {
			FixtureEmbeddings.assertMatches(model);
		}
	}

	@Test
	void openClipFolderImportsToAZipThatReproducesTheFixture() throws Exception {
		Path folder = OpenClipFolderTest.openClipFolder(dir.resolve("open_clip"));
		Path zip = dir.resolve("open_clip.zip");
		String[] r = result("import", folder.toString(), "--out", zip.toString(), "--threads", "2");
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(r[1].contains("open_clip names") && r[1].contains("visual.unknown_extra"), r[1]);
		try (ClipModel model = ModelFiles.load(zip, Device.cpu())) {
			assertEquals("quick_gelu", model.config().vision_config.hidden_act);
			FixtureEmbeddings.assertMatches(model);
		}
	}

	@Test
	void existingOutputIsRefusedWithoutOverwrite() throws Exception {
		Path zip = dir.resolve("tiny.zip");
		Files.write(zip, new byte[] { 42 });
		String[] r = result("import", Fixtures.hfClipTiny().toString(), "--out", zip.toString());
		assertEquals("2", r[0], String.join("\n", r));
		assertTrue(r[2].contains("exists") && r[2].contains("--overwrite"), r[2]);
		assertEquals(1, Files.size(zip), "the existing file must be left alone");

		r = result("import", Fixtures.hfClipTiny().toString(), "--out", zip.toString(), "--overwrite", "--threads", "2");
		assertEquals("0", r[0], String.join("\n", r));
		assertTrue(Files.size(zip) > 1000);
	}

	@Test
	void missingFolderIsAUserError() {
		String[] r = result("import", dir.resolve("nothing").toString(), "--out", dir.resolve("x.zip").toString());
		assertEquals("2", r[0], String.join("\n", r));
		assertTrue(r[2].contains("does not exist"), r[2]);
	}
}
