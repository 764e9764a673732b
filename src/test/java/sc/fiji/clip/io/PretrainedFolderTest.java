package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/**
 * A Hugging Face CLIP folder loads end to end (config, safetensors, BPE tokenizer, image processor) and reproduces
 * transformers from raw texts and image files; packed into a model .zip it gives the same results.
 */
class PretrainedFolderTest {

	@TempDir
	Path dir;

	@Test
	void huggingFaceFolderReproducesTransformersFromTextsAndFiles() throws Exception {
		Path zip = dir.resolve("tiny.zip");
		try (ClipModel model = ModelFiles.load(Fixtures.hfClipTiny(), Device.cpu())) {
			FixtureEmbeddings.assertMatches(model);
			assertArrayEquals(new int[] { 49406, 320, 1125, 539, 320, 2368, 49407 }, model.tokenizer().encode("a photo of a cat"));
			ModelFiles.save(model, zip);
		}
		try (ClipModel packed = ModelFiles.load(zip, Device.cpu())) {
			FixtureEmbeddings.assertMatches(packed);
		}
	}
}
