package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/**
 * What Fiji users do side by side: a training, two colour optimisations and a labelling at once, two of them on the
 * same model file. DJL allows one gradient collector per JVM; they must take turns, not fail.
 */
class ConcurrentCommandsTest {

	@TempDir
	Path dir;

	@Test
	void trainingColourAndLabellingRunSideBySide() throws Exception {
		Path data = ShapesDataset.write(dir.resolve("data"), 24, 16, 3);
		Path model = Fixtures.hfClipTiny();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			Future<TrainingResult> training = pool.submit(() -> new Trainer(TrainingOptions.builder().preset("tiny").steps(30)
				.batchSize(8).learningRate(5e-3).threads(1).build(), Device.cpu(), null)
				.train(DatasetScanner.defaults().scan(data), dir.resolve("m.zip")));
			Future<ColorResult> banana = pool.submit(() -> colour(model, "the color of a banana"));
			Future<ColorResult> sky = pool.submit(() -> colour(model, "the color of the sky"));
			Future<float[][]> labels = pool.submit(() -> {
				try (ClipModel clip = ModelFiles.load(model, Device.cpu());
					ZeroShotClassifier classifier = ZeroShotClassifier.create(clip, LabelSet.of("a cat", "a dog")))
				{
					return classifier.textEmbeddingRows();
				}
			});
			assertEquals(30, training.get(120, TimeUnit.SECONDS).steps());
			assertEquals(31, banana.get(120, TimeUnit.SECONDS).steps().size());
			assertEquals(31, sky.get(120, TimeUnit.SECONDS).steps().size());
			assertEquals(2, labels.get(120, TimeUnit.SECONDS).length);
			assertFalse(banana.get().color().equals(sky.get().color()), "each prompt got its own colour");
		} finally {
			pool.shutdownNow();
			assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
		}
	}

	private static ColorResult colour(Path model, String prompt) {
		try (ClipModel clip = ModelFiles.load(model, Device.cpu())) {
			return new ColorOptimizer(clip).optimize(prompt, ColorOptions.builder().steps(30).earlyStop(1000, 0).build());
		}
	}
}
