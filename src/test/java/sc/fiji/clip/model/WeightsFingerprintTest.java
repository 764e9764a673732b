package sc.fiji.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.testing.Fixtures;

/** The same weights give the same fingerprint from a folder or a .zip; changed weights give another, memo or not. */
class WeightsFingerprintTest {

	@TempDir
	Path dir;

	@Test
	void sameWeightsSameFingerprintChangedWeightsAnother() {
		Path zip = dir.resolve("tiny.zip");
		try (ClipModel folder = ModelFiles.load(Fixtures.hfClipTiny(), Device.cpu())) {
			String first = WeightsFingerprint.of(folder);
			assertEquals(64, first.length());
			ModelFiles.save(folder, zip);
			try (ClipModel saved = ModelFiles.load(zip, Device.cpu())) {
				assertEquals(first, WeightsFingerprint.of(saved), "a .zip of the same weights");
			}
			NDArray w = folder.weights().get("text_projection.weight");
			ByteBuffer kept = ByteBuffer.allocateDirect(w.toByteBuffer().remaining()).order(w.toByteBuffer().order());
			kept.put(w.toByteBuffer()).flip();
			w.set(w.mul(2f).toByteBuffer());
			folder.weights().contentsChanged();
			String changed = WeightsFingerprint.of(folder);
			assertNotEquals(first, changed, "the memo is not used once the weights changed");
			w.set(kept);
			folder.weights().contentsChanged();
			assertEquals(first, WeightsFingerprint.of(folder));
		}
	}
}
