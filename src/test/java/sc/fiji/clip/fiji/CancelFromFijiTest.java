package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.IJ;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.StepProgress;
import sc.fiji.clip.train.Trainer;
import sc.fiji.clip.train.TrainingListener;
import sc.fiji.clip.train.TrainingOptions;
import sc.fiji.clip.train.TrainingResult;

/** Esc in ImageJ stops a training within one step and keeps a checkpoint that loads. */
class CancelFromFijiTest {

	@TempDir
	Path dir;

	@Test
	void escapeStopsTrainingAfterTheCurrentStepWithALoadableCheckpoint() {
		HeadlessImageJ.boot();
		AtomicInteger steps = new AtomicInteger();
		ImageJProgress imagej = new ImageJProgress(() -> false);
		TrainingListener progress = new TrainingListener() {
			@Override
			public void step(StepProgress p) {
				imagej.step(p);
				if (steps.incrementAndGet() == 3) IJ.setKeyDown(KeyEvent.VK_ESCAPE); // the user presses Esc
			}

			@Override
			public boolean isCancelled() {
				return imagej.isCancelled();
			}
		};
		TrainingOptions options = TrainingOptions.builder().preset("tiny").steps(50).batchSize(8).learningRate(5e-3)
			.threads(1).build();
		TrainingResult result = new Trainer(options, Device.cpu(), progress)
			.train(DatasetScanner.defaults().scan(ShapesDataset.write(dir.resolve("data"), 24, 16, 1)), dir.resolve("m.zip"));
		IJ.resetEscape();
		assertTrue(result.cancelled());
		assertEquals(3, result.steps(), "stopped right after the step during which Esc was pressed");
		try (ClipModel model = ModelFiles.load(result.checkpoint(), Device.cpu())) {
			assertNotNull(model);
		}
	}
}
