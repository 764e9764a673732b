package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/** {@code train --from}: fine-tuning keeps the starting model's architecture and tokenizer, and locks hold. */
class FineTuneTest {

	@TempDir
	Path dir;

	private CaptionDataset shapes(int count, int size) {
		return DatasetScanner.defaults().scan(ShapesDataset.write(dir.resolve("shapes" + size), count, size, 3));
	}

	private static TrainingOptions.Builder from(Path model) {
		return TrainingOptions.builder().from(model.toString()).batchSize(8).learningRate(5e-3).threads(1)
			.valFraction(0).seed(4);
	}

	/** A tiny model trained a few steps, to start from. */
	private Path pretrained() {
		Path out = dir.resolve("pretrained.zip");
		new Trainer(TrainingOptions.builder().preset("tiny").batchSize(8).steps(3).threads(1).valFraction(0).build(),
			Device.cpu(), null).train(shapes(16, 16), out);
		return out;
	}

	private static List<String> changed(Path before, Path after) {
		List<String> names = new ArrayList<>();
		try (ClipModel a = ModelFiles.load(before, Device.cpu()); ClipModel b = ModelFiles.load(after, Device.cpu())) {
			for (String name : a.weights().names()) {
				if (!Arrays.equals(a.weights().get(name).toFloatArray(), b.weights().get(name).toFloatArray())) names.add(name);
			}
		}
		return names;
	}

	private static boolean imageTower(String name) {
		return name.startsWith("vision_model.") || name.startsWith("visual_projection.");
	}

	@Test
	void aLockedImageTowerIsBitForBitUnchanged() {
		Path start = pretrained(), out = dir.resolve("lit.zip");
		// in two shares, as on a two-core machine: the image side runs on its own threads
		new Trainer(from(start).lock(true, false, 0).steps(4).averageDecay(0.9).build(), Device.cpu(), null)
			.imageShares(2).train(shapes(16, 16), out);
		List<String> changed = changed(start, out);
		assertTrue(changed.stream().noneMatch(FineTuneTest::imageTower), "image tower changed: " + changed);
		assertTrue(changed.stream().anyMatch(n -> n.startsWith("text_model.")), "the text tower trains: " + changed);
		assertTrue(changed(start, Trainer.checkpointPath(out)).stream().noneMatch(FineTuneTest::imageTower),
			"nor in the checkpoint");
	}

	@Test
	void withoutALockBothTowersTrain() {
		Path start = pretrained(), out = dir.resolve("open.zip");
		new Trainer(from(start).steps(4).wiseFt(1).build(), Device.cpu(), null).imageShares(2).train(shapes(16, 16), out);
		// by Adam's steps, not by weight decay alone (lr x decay x |w| per step is a hundred times smaller)
		double vision = largestChange(start, out, "vision_model.encoder.layers.0.mlp.fc1.weight");
		double text = largestChange(start, out, "text_model.encoder.layers.0.mlp.fc1.weight");
		assertTrue(vision > 0.2 * text && text > 1e-3, "image tower moved " + vision + ", text tower " + text);
	}

	private static double largestChange(Path before, Path after, String name) {
		try (ClipModel a = ModelFiles.load(before, Device.cpu()); ClipModel b = ModelFiles.load(after, Device.cpu())) {
			float[] x = a.weights().get(name).toFloatArray(), y = b.weights().get(name).toFloatArray();
			double most = 0;
			for (int i = 0; i < x.length; i++) most = Math.max(most, Math.abs(x[i] - y[i]));
			return most;
		}
	}

	@Test
	void wiseFtSavesThePointBetweenTheStartAndTheFineTunedWeights() {
		Path start = pretrained(), tuned = dir.resolve("tuned.zip"), mixed = dir.resolve("mixed.zip");
		new Trainer(from(start).steps(4).wiseFt(1).build(), Device.cpu(), null).imageShares(2).train(shapes(16, 16), tuned);
		new Trainer(from(start).steps(4).wiseFt(0.25).build(), Device.cpu(), null).imageShares(2).train(shapes(16, 16), mixed);
		String name = "vision_model.encoder.layers.0.mlp.fc1.weight";
		try (ClipModel s = ModelFiles.load(start, Device.cpu()); ClipModel t = ModelFiles.load(tuned, Device.cpu());
			ClipModel m = ModelFiles.load(mixed, Device.cpu()))
		{
			for (String w : s.weights().names()) { // the scalar logit_scale too: it once came out as garbage
				float[] a = s.weights().get(w).toFloatArray(), b = t.weights().get(w).toFloatArray();
				float[] c = m.weights().get(w).toFloatArray();
				for (int i = 0; i < a.length; i++) assertEquals(a[i] + 0.25f * (b[i] - a[i]), c[i], 1e-5f, w + "[" + i + "]");
			}
		}
		try (ClipModel checkpoint = ModelFiles.load(Trainer.checkpointPath(mixed), Device.cpu());
			ClipModel t = ModelFiles.load(tuned, Device.cpu()))
		{
			assertArrayEquals(t.weights().get(name).toFloatArray(), checkpoint.weights().get(name).toFloatArray(),
				"the checkpoint keeps the fine-tuned weights, so a resumed run goes on from them");
		}
		ClipException alone = assertThrows(ClipException.class,
			() -> TrainingOptions.builder().preset("tiny").wiseFt(0.5).build());
		assertTrue(alone.getMessage().contains("it needs --from"), alone.getMessage());
		ClipException range = assertThrows(ClipException.class, () -> from(start).wiseFt(1.5).build());
		assertTrue(range.getMessage().contains("--wise-ft must be in (0, 1]"), range.getMessage());
		assertEquals(TrainingOptions.DEFAULT_WISE_FT, from(start).build().wiseFt(), "the default with --from");
		assertEquals(1, TrainingOptions.builder().preset("tiny").build().wiseFt(), "a new model is not mixed");
	}

	@Test
	void unlockingTheLastLayerTrainsItAndKeepsTheRest() {
		Path start = pretrained(), out = dir.resolve("unlocked.zip");
		new Trainer(from(start).lock(true, true, 1).steps(4).build(), Device.cpu(), null).imageShares(2)
			.train(shapes(16, 16), out);
		List<String> changed = changed(start, out);
		// tiny has one layer per tower: that layer, the final norms and the projections train; embeddings do not
		assertTrue(changed.contains("vision_model.encoder.layers.0.mlp.fc1.weight"), changed.toString());
		assertTrue(changed.contains("text_projection.weight"), changed.toString());
		assertTrue(changed.stream().noneMatch(n -> n.contains("embeddings")), changed.toString());
		assertFalse(changed.contains("vision_model.pre_layrnorm.weight"), changed.toString());
	}

	@Test
	void fineTuningTheHuggingFaceFixtureKeepsItsTokenizerAndResumesExactly() {
		Path fixture = Fixtures.hfClipTiny();
		CaptionDataset data = shapes(16, 32);
		List<Float> full = new ArrayList<>(), first = new ArrayList<>(), rest = new ArrayList<>();
		new Trainer(from(fixture).steps(6).build(), Device.cpu(), losses(full, Integer.MAX_VALUE))
			.train(data, dir.resolve("full.zip"));
		Path out = dir.resolve("tuned.zip");
		TrainingResult stopped = new Trainer(from(fixture).steps(6).build(), Device.cpu(), losses(first, 3)).train(data, out);
		assertTrue(stopped.cancelled());
		Trainer.resume(stopped.checkpoint(), data, out, Device.cpu(), losses(rest, Integer.MAX_VALUE));
		first.addAll(rest);
		assertArrayEquals(floats(full), floats(first), 1e-5f, "a resumed fine-tuning gives the same losses");
		try (ClipModel original = ModelFiles.load(fixture, Device.cpu()); ClipModel tuned = ModelFiles.load(out, Device.cpu())) {
			assertEquals(original.config().describe(), tuned.config().describe());
			assertEquals("bpe", tuned.config().fiji_clip.tokenizer);
			String text = "a photo of a red circle";
			assertArrayEquals(original.tokenizer().encode(text), tuned.tokenizer().encode(text));
			assertEquals(fixture.toString(), tuned.config().fiji_clip.training.get("from").getAsString());
		}
		assertFalse(changed(fixture, out).isEmpty(), "the weights moved");
	}

	private static TrainingListener losses(List<Float> into, int cancelAfter) {
		return new TrainingListener() {
			@Override
			public void step(StepProgress p) {
				into.add(p.loss);
			}

			@Override
			public boolean isCancelled() {
				return into.size() >= cancelAfter;
			}
		};
	}

	private static float[] floats(List<Float> values) {
		float[] a = new float[values.size()];
		for (int i = 0; i < a.length; i++) a[i] = values.get(i);
		return a;
	}

	@Test
	void badFineTuningOptionsSayWhatToDo() {
		Path model = dir.resolve("m.zip");
		assertTrue(assertThrows(ClipException.class, () -> from(model).preset("small").build()).getMessage()
			.contains("Leave out --preset"));
		assertTrue(assertThrows(ClipException.class, () -> TrainingOptions.builder().lock(true, false, 0).build())
			.getMessage().contains("need --from"));
		assertTrue(assertThrows(ClipException.class, () -> from(model).lock(false, false, 2).build()).getMessage()
			.contains("--lock-image"));
		ClipException missing = assertThrows(ClipException.class, () -> new Trainer(from(model).steps(1).build(),
			Device.cpu(), null).train(shapes(8, 16), dir.resolve("out.zip")));
		assertTrue(missing.getMessage().contains("--from " + model + " does not exist"), missing.getMessage());
		assertFalse(java.nio.file.Files.exists(dir.resolve("out.zip")));
		assertEquals(TrainingOptions.FINE_TUNE_LEARNING_RATE, TrainingOptions.builder().from("m.zip").build().learningRate());
	}
}
