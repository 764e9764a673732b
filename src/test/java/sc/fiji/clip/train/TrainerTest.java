package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetLayout;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;

class TrainerTest {

	@TempDir
	Path dir;

	private static TrainingOptions.Builder tiny() {
		return TrainingOptions.builder().preset("tiny").batchSize(8).learningRate(5e-3).threads(1).valFraction(0.2);
	}

	/** Records every step's loss and can cancel after a given step. */
	private static final class Recorder implements TrainingListener {
		final List<Float> losses = new ArrayList<>();
		final List<EpochRecord> epochs = new ArrayList<>();
		final int cancelAfter;

		Recorder(int cancelAfter) {
			this.cancelAfter = cancelAfter;
		}

		@Override
		public void step(StepProgress p) {
			losses.add(p.loss);
		}

		@Override
		public void epoch(EpochRecord record) {
			epochs.add(record);
		}

		@Override
		public boolean isCancelled() {
			return losses.size() >= cancelAfter;
		}
	}

	private static float[] toArray(List<Float> values) {
		float[] a = new float[values.size()];
		for (int i = 0; i < a.length; i++) a[i] = values.get(i);
		return a;
	}

	private CaptionDataset shapes(int count) {
		return DatasetScanner.defaults().scan(ShapesDataset.write(dir.resolve("shapes"), count, 16, 3));
	}

	@Test
	void shortEpochsCheckpointAfterTheFirstAndTheLastOnlyNotEveryEpoch() throws IOException {
		Path out = dir.resolve("model.zip");
		Path checkpoint = Trainer.checkpointPath(out);
		List<Integer> savedEpochs = new ArrayList<>();
		TrainingListener watcher = new TrainingListener() {
			@Override
			public void epoch(EpochRecord record) {
				savedEpochs.add(TrainingState.fromJson(new String(ModelFiles.readEntry(checkpoint, TrainingState.ENTRY),
					java.nio.charset.StandardCharsets.UTF_8)).epoch);
			}
		};
		TrainingResult result = new Trainer(tiny().epochs(4).build(), Device.cpu(), watcher).train(shapes(24), out);
		assertEquals(List.of(1, 1, 1, 4), savedEpochs, "the checkpoint each epoch ends with (well within 30 s)");
		assertEquals(4, Files.readAllLines(result.log()).size() - 1, "the log has every epoch at the end");
	}

	@Test
	void trainsOnACaptionTableAndWritesModelCheckpointAndLog() throws IOException {
		CaptionDataset data = shapes(40);
		assertEquals(DatasetLayout.CAPTION_TABLE, data.layout());
		Path out = dir.resolve("model.zip");
		Recorder recorder = new Recorder(Integer.MAX_VALUE);
		TrainingResult result = new Trainer(tiny().epochs(3).build(), Device.cpu(), recorder).train(data, out);
		assertFalse(result.cancelled());
		assertEquals(3, result.records().size());
		assertEquals(out, result.model());
		assertTrue(Files.exists(Trainer.checkpointPath(out)));
		List<String> log = Files.readAllLines(result.log());
		assertEquals(EpochRecord.CSV_HEADER, log.get(0));
		assertEquals(4, log.size());
		assertTrue(Double.isFinite(recorder.epochs.get(2).valLoss), "validation loss measured");
		try (ClipModel model = ModelFiles.load(out, Device.cpu())) {
			assertEquals("tiny", model.config().fiji_clip.training.get("preset").getAsString());
		}
	}

	@Test
	void trainsOnSidecarCaptions() throws IOException {
		Path folder = Files.createDirectories(dir.resolve("sidecars"));
		Random random = new Random(8);
		for (int i = 0; i < 12; i++) {
			BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
			for (int p = 0; p < 256; p++) image.setRGB(p % 16, p / 16, random.nextInt(1 << 24));
			ImageIO.write(image, "png", folder.resolve("cell_" + i + ".png").toFile());
			Files.writeString(folder.resolve("cell_" + i + ".txt"), "cell " + i + "\nsample " + i + "\n");
		}
		CaptionDataset data = DatasetScanner.defaults().scan(folder);
		assertEquals(DatasetLayout.SIDECAR_TEXT, data.layout());
		assertEquals(24, data.captionCount());
		TrainingResult result = new Trainer(tiny().epochs(2).build(), Device.cpu(), null).train(data, dir.resolve("side.zip"));
		assertEquals(2, result.records().size());
		assertTrue(Files.exists(result.model()));
	}

	/** Class folders red_cell and blue_cell of {@code perClass} noisy 16 px images each. */
	private Path cells(String name, int perClass, long seed) throws IOException {
		Random random = new Random(seed);
		for (String cls : List.of("red_cell", "blue_cell")) {
			Path folder = Files.createDirectories(dir.resolve(name).resolve(cls));
			for (int i = 0; i < perClass; i++) {
				BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
				int rgb = cls.startsWith("red") ? 0xd02020 : 0x2030d0;
				for (int p = 0; p < 256; p++) image.setRGB(p % 16, p / 16, rgb + random.nextInt(16));
				ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
			}
		}
		return dir.resolve(name);
	}

	@Test
	void evalFolderIsEvaluatedOnTheEpochsThatWriteTheCheckpointAsEvaluateWould() throws IOException {
		CaptionDataset data = DatasetScanner.defaults().scan(cells("classes", 8, 5));
		Path eval = cells("held-out", 3, 6);
		Files.write(eval.resolve("red_cell/broken.png"), new byte[] { 1, 2, 3 });
		Recorder recorder = new Recorder(Integer.MAX_VALUE);
		Path out = dir.resolve("cells.zip");
		TrainingResult result = new Trainer(tiny().epochs(4).valFraction(0).eval(eval.toString()).build(), Device.cpu(),
			recorder).train(data, out);
		List<Double> measured = new ArrayList<>();
		for (EpochRecord r : recorder.epochs) measured.add(r.evalAccuracy());
		assertTrue(!Double.isNaN(measured.get(0)) && Double.isNaN(measured.get(1)) && Double.isNaN(measured.get(2))
			&& !Double.isNaN(measured.get(3)), "the first and the last epoch (well within 30 s): " + measured);
		List<String> log = Files.readAllLines(result.log());
		assertTrue(log.get(1).endsWith("," + String.format(java.util.Locale.ROOT, "%.6f", measured.get(0))), log.get(1));
		assertTrue(log.get(2).endsWith(","), "empty where not measured: " + log.get(2));
		try (ClipModel model = ModelFiles.load(out, Device.cpu());
			sc.fiji.clip.label.ZeroShotClassifier zeroShot = sc.fiji.clip.label.ZeroShotClassifier.create(model,
				sc.fiji.clip.label.LabelSet.of(List.of("blue cell", "red cell"))))
		{
			sc.fiji.clip.eval.Evaluation e = sc.fiji.clip.eval.Evaluator.evaluate(zeroShot, eval, List.of(), null,
				sc.fiji.clip.label.ProgressListener.NONE);
			assertEquals(6L, e.confusion().total(), "the broken file is skipped");
			assertEquals(e.confusion().accuracy(), measured.get(3), 1e-12, "the last epoch's weights are the model's");
		}
	}

	@Test
	void anEvalFolderThatCannotBeEvaluatedStopsTrainingBeforeAnyStep() throws IOException {
		CaptionDataset data = DatasetScanner.defaults().scan(cells("classes", 4, 5));
		Path captioned = shapes(8).root();
		Path out = dir.resolve("never.zip");
		ClipException e = assertThrows(ClipException.class, () -> new Trainer(tiny().epochs(1).eval(captioned.toString())
			.build(), Device.cpu(), null).train(data, out));
		assertTrue(e.getMessage().contains("--val-labels"), e.getMessage());
		assertFalse(Files.exists(out) || Files.exists(Trainer.checkpointPath(out)));
		assertThrows(ClipException.class, () -> tiny().eval(dir.resolve("missing").toString()).build());
	}

	@Test
	void classFoldersGiveZeroShotValidationAccuracyAndTemplates() throws IOException {
		CaptionDataset data = DatasetScanner.defaults().scan(cells("classes", 12, 5));
		assertEquals(DatasetLayout.CLASS_FOLDERS, data.layout());
		Recorder recorder = new Recorder(Integer.MAX_VALUE);
		Path out = dir.resolve("cells.zip");
		new Trainer(tiny().epochs(25).valFraction(0.25).build(), Device.cpu(), recorder).train(data, out);
		EpochRecord last = recorder.epochs.get(recorder.epochs.size() - 1);
		assertTrue(last.valAccuracy >= 0.99, "red and blue cells are easy: " + last.summary());
		try (ClipModel model = ModelFiles.load(out, Device.cpu())) {
			assertEquals(List.of("a photo of a {}."), model.config().fiji_clip.templates);
		}
	}

	@Test
	void sameSeedGivesTheSameLosses() {
		CaptionDataset data = shapes(24);
		Recorder a = new Recorder(Integer.MAX_VALUE), b = new Recorder(Integer.MAX_VALUE);
		new Trainer(tiny().steps(8).seed(4).build(), Device.cpu(), a).train(data, dir.resolve("a.zip"));
		new Trainer(tiny().steps(8).seed(4).build(), Device.cpu(), b).train(data, dir.resolve("b.zip"));
		assertEquals(8, a.losses.size());
		assertArrayEquals(toArray(a.losses), toArray(b.losses));
	}

	@Test
	void sameClassPairsArePositivesWhenTemplatesDiffer() throws IOException {
		Random random = new Random(2);
		for (String cls : List.of("even", "odd")) {
			Path folder = Files.createDirectories(dir.resolve("classes2").resolve(cls));
			for (int i = 0; i < 8; i++) {
				BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
				for (int p = 0; p < 256; p++) image.setRGB(p % 16, p / 16, random.nextInt(1 << 24));
				ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
			}
		}
		CaptionDataset data = DatasetScanner.builder()
			.templates(sc.fiji.clip.data.CaptionTemplates.of("a {}", "the {}", "{} here", "{}")).build()
			.scan(dir.resolve("classes2"));
		Recorder soft = new Recorder(Integer.MAX_VALUE), hard = new Recorder(Integer.MAX_VALUE);
		new Trainer(tiny().steps(2).valFraction(0).build(), Device.cpu(), soft).train(data, dir.resolve("soft.zip"));
		new Trainer(tiny().steps(2).valFraction(0).softTargets(false).build(), Device.cpu(), hard).train(data, dir.resolve("hard.zip"));
		assertTrue(Math.abs(soft.losses.get(0) - hard.losses.get(0)) > 1e-3,
			"class-aware targets change the loss: " + soft.losses + " vs " + hard.losses);
	}

	@Test
	void augmentationCanBeSwitchedOff() {
		CaptionDataset data = shapes(24);
		Recorder on = new Recorder(Integer.MAX_VALUE), off = new Recorder(Integer.MAX_VALUE);
		new Trainer(tiny().steps(3).seed(4).build(), Device.cpu(), on).train(data, dir.resolve("on.zip"));
		new Trainer(tiny().steps(3).seed(4).augment(false).build(), Device.cpu(), off).train(data, dir.resolve("off.zip"));
		assertFalse(java.util.Arrays.equals(toArray(on.losses), toArray(off.losses)), "random crops change the inputs");
	}

	@Test
	void imagesSplitAcrossThreadsTrainAsOneBatch() {
		CaptionDataset data = shapes(24);
		Recorder whole = new Recorder(Integer.MAX_VALUE), two = new Recorder(Integer.MAX_VALUE),
			twoAgain = new Recorder(Integer.MAX_VALUE), three = new Recorder(Integer.MAX_VALUE);
		TrainingOptions options = tiny().steps(6).seed(4).threads(2).build();
		new Trainer(options, Device.cpu(), whole).imageShares(1).train(data, dir.resolve("whole.zip"));
		new Trainer(options, Device.cpu(), two).imageShares(2).train(data, dir.resolve("two.zip"));
		new Trainer(options, Device.cpu(), twoAgain).imageShares(2).train(data, dir.resolve("two-again.zip"));
		new Trainer(options, Device.cpu(), three).imageShares(3).train(data, dir.resolve("three.zip"));
		assertEquals(6, two.losses.size());
		assertArrayEquals(toArray(whole.losses), toArray(two.losses), 1e-4f, "the same computation, summed in another order");
		assertArrayEquals(toArray(whole.losses), toArray(three.losses), 1e-4f);
		assertArrayEquals(toArray(two.losses), toArray(twoAgain.losses), "two shares are deterministic");
		assertTrue(whole.losses.get(5) < whole.losses.get(0) - 0.05f, "and it learns: " + whole.losses);
	}

	@Test
	void flipsApplyWithoutCrops() {
		CaptionDataset data = shapes(24);
		Recorder plain = new Recorder(Integer.MAX_VALUE), flipped = new Recorder(Integer.MAX_VALUE);
		new Trainer(tiny().steps(3).seed(4).augment(false).build(), Device.cpu(), plain).train(data, dir.resolve("plain.zip"));
		new Trainer(tiny().steps(3).seed(4).augment(false).flips(true, true).build(), Device.cpu(), flipped)
			.train(data, dir.resolve("flipped.zip"));
		assertFalse(java.util.Arrays.equals(toArray(plain.losses), toArray(flipped.losses)),
			"--no-augment --flip still mirrors images: " + plain.losses + " vs " + flipped.losses);
	}

	@Test
	void cancelledRunResumesWhereItStoppedWithTheSameLossCurve() {
		CaptionDataset data = shapes(24);
		Recorder full = new Recorder(Integer.MAX_VALUE);
		new Trainer(tiny().steps(10).seed(9).build(), Device.cpu(), full).train(data, dir.resolve("full.zip"));

		Path out = dir.resolve("part.zip");
		Recorder first = new Recorder(4);
		TrainingResult stopped = new Trainer(tiny().steps(10).seed(9).build(), Device.cpu(), first).train(data, out);
		assertTrue(stopped.cancelled());
		assertEquals(4, stopped.steps());
		try (ClipModel model = ModelFiles.load(stopped.checkpoint(), Device.cpu())) {
			assertNotNull(model, "the checkpoint of a cancelled run loads");
		}
		Recorder rest = new Recorder(Integer.MAX_VALUE);
		TrainingResult resumed = Trainer.resume(stopped.checkpoint(), data, out, Device.cpu(), rest);
		assertEquals(10, resumed.steps());
		List<Float> joined = new ArrayList<>(first.losses);
		joined.addAll(rest.losses);
		assertArrayEquals(toArray(full.losses), toArray(joined), 1e-5f);
	}

	@Test
	void weightAverageIsWhatIsSavedAndAResumedRunKeepsIt() {
		CaptionDataset data = shapes(24);
		TrainingOptions options = tiny().steps(10).seed(9).valFraction(0).averageDecay(0.9).build();
		Path full = dir.resolve("full.zip"), part = dir.resolve("part.zip");
		TrainingResult whole = new Trainer(options, Device.cpu(), new Recorder(Integer.MAX_VALUE)).train(data, full);
		TrainingResult stopped = new Trainer(options, Device.cpu(), new Recorder(4)).train(data, part);
		assertTrue(stopped.cancelled());
		Trainer.resume(stopped.checkpoint(), data, part, Device.cpu(), new Recorder(Integer.MAX_VALUE));
		try (ClipModel saved = ModelFiles.load(full, Device.cpu());
			ClipModel last = ModelFiles.load(whole.checkpoint(), Device.cpu());
			ClipModel resumed = ModelFiles.load(part, Device.cpu()))
		{
			String name = "vision_model.encoder.layers.0.mlp.fc1.weight";
			float[] average = saved.weights().get(name).toFloatArray();
			assertFalse(java.util.Arrays.equals(average, last.weights().get(name).toFloatArray()),
				"the model file holds the average, the checkpoint the last weights");
			assertArrayEquals(average, resumed.weights().get(name).toFloatArray(), 1e-5f, "the average survives a resume");
			assertEquals(0.9, saved.config().fiji_clip.training.get("weight_average_decay").getAsDouble(), 1e-12);
		}
		assertTrue(assertThrows(ClipException.class, () -> tiny().averageDecay(1).build()).getMessage().contains("--ema"));
	}

	@Test
	void divergingLearningRateStopsWithAClearMessage() {
		CaptionDataset data = shapes(24);
		ClipException e = assertThrows(ClipException.class, () -> new Trainer(tiny().steps(30).learningRate(1e6).build(),
			Device.cpu(), null).train(data, dir.resolve("diverged.zip")));
		assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("--lr"), e.getMessage());
	}

	@Test
	void badOptionsNameTheOption() {
		assertTrue(assertThrows(ClipException.class, () -> tiny().learningRate(Double.NaN).build()).getMessage().contains("--lr"));
		assertTrue(assertThrows(ClipException.class, () -> tiny().learningRate(-1).build()).getMessage().contains("--lr"));
		assertEquals(TrainingOptions.DEFAULT_LEARNING_RATE, tiny().learningRate(0).build().learningRate(), "0: the default");
		assertTrue(assertThrows(ClipException.class, () -> tiny().epochs(0).steps(-1).build()).getMessage().contains("--steps"));
		assertTrue(assertThrows(ClipException.class, () -> tiny().batchSize(1).build()).getMessage().contains("--batch-size"));
		assertTrue(assertThrows(ClipException.class, () -> tiny().preset("huge").build()).getMessage().contains("huge"));
	}
}
