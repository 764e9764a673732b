package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;

/**
 * A training process killed with SIGKILL at random moments always leaves a checkpoint that loads, and training
 * resumes from it: checkpoints are written to a temporary file and moved into place.
 */
class KillDuringTrainingTest {

	private static final int ROUNDS = 10;

	@TempDir
	Path dir;

	@Test
	void killedTrainingAlwaysLeavesALoadableCheckpointAndResumes() throws Exception {
		Path data = ShapesDataset.write(dir.resolve("data"), 40, 16, 4);
		CaptionDataset dataset = DatasetScanner.defaults().scan(data);
		Path out = dir.resolve("model.zip");
		Path checkpoint = Trainer.checkpointPath(out);
		Random random = new Random(11);
		int survived = 0, resumedSteps = 0;
		for (int round = 0; round < ROUNDS; round++) {
			List<String> command = new ArrayList<>(List.of(javaBin(), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
				"-cp", System.getProperty("java.class.path"), "sc.fiji.clip.cli.FijiClipCli", "train", "--data", data.toString(),
				"--out", out.toString(), "--overwrite", "--preset", "tiny", "--steps", "100000", "--batch-size", "4",
				"--threads", "1", "--val-fraction", "0"));
			if (Files.exists(checkpoint)) command.addAll(List.of("--resume", checkpoint.toString()));
			ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
			pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
			Process child = pb.start();
			if (round == 0) {
				// the first kill comes once a checkpoint exists, however slow a busy machine makes the start
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
				while (!Files.exists(checkpoint) && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
			}
			long wait = round == 0 ? random.nextInt(1500) : 3000 + random.nextInt(3000);
			assertTrue(!child.waitFor(wait, TimeUnit.MILLISECONDS), "the child should still be training: "
				+ Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8));
			child.destroyForcibly();
			child.waitFor(30, TimeUnit.SECONDS);
			if (!Files.exists(checkpoint)) continue;
			try (ClipModel model = ModelFiles.load(checkpoint, Device.cpu())) {
				assertEquals("tiny", model.config().fiji_clip.training.get("preset").getAsString());
			}
			survived++;
			TrainingResult resumed = Trainer.resume(checkpoint, dataset, dir.resolve("resumed.zip"), Device.cpu(),
				new TrainingListener() {
					private int steps;

					@Override
					public void step(StepProgress p) {
						steps++;
					}

					@Override
					public boolean isCancelled() {
						return steps >= 1;
					}
				});
			assertTrue(resumed.steps() > 0, "resume continues from the saved step");
			resumedSteps = Math.max(resumedSteps, resumed.steps());
		}
		System.out.printf("kill -9: %d rounds, %d checkpoints loaded and resumed (latest step %d)%n", ROUNDS, survived,
			resumedSteps);
		assertTrue(survived >= ROUNDS - 1, "a checkpoint existed after almost every kill: " + survived);
	}

	private static String javaBin() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}
}
