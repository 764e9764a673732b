package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.PlaneReader;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;

/** Labelling with a tiny model trained in the test to name solid colours. */
class ZeroShotLabellerTest {

	private static ClipModel model;
	private static ZeroShotClassifier classifier;

	@TempDir
	Path dir;

	@BeforeAll
	static void load() {
		model = ModelFiles.load(ColourModel.file(), Device.cpu());
		classifier = ZeroShotClassifier.create(model, LabelSet.of(ColourModel.COLOURS));
	}

	@AfterAll
	static void close() {
		classifier.close();
		model.close();
	}

	private static ZeroShotLabeller.Builder labeller() {
		return ZeroShotLabeller.builder(classifier);
	}

	private static List<LabelResult> run(ZeroShotLabeller labeller, Path path) {
		List<LabelResult> rows = new ArrayList<>();
		labeller.label(path, rows::add);
		return rows;
	}

	private static List<LabelResult> run(ZeroShotLabeller labeller, ImagePlus imp) {
		List<LabelResult> rows = new ArrayList<>();
		labeller.label(List.of(ImagePlanes.input(imp)), rows::add);
		return rows;
	}

	@Test
	void modelTrainedInTheTestLabelsSavedPngsAndTiffsOfItsColours() {
		String[] colours = { "red", "green", "blue", "black", "blue", "red" };
		for (int i = 0; i < colours.length; i++) {
			ColourModel.save(dir.resolve("img" + i + (i % 2 == 0 ? ".png" : ".tif")), colours[i], 24 + 8 * i, 20);
		}
		List<LabelResult> rows = run(labeller().batchSize(4).build(), dir);
		assertEquals(colours.length, rows.size());
		for (int i = 0; i < colours.length; i++) {
			LabelResult row = rows.get(i);
			assertEquals("img" + i + (i % 2 == 0 ? ".png" : ".tif"), row.image());
			assertEquals(colours[i], row.label(), row + "; " + ColourModel.trainingLog());
			assertTrue(row.score() > 0.5f, row.toString());
			assertEquals(1, row.channel());
			assertEquals(1, row.slice());
			assertEquals(1, row.frame());
		}
	}

	@Test
	void pngWithAlphaIsReadAsTrainingReadsItWithAlphaDropped() throws IOException {
		BufferedImage argb = new BufferedImage(12, 10, BufferedImage.TYPE_INT_ARGB);
		for (int y = 0; y < 10; y++) for (int x = 0; x < 12; x++) argb.setRGB(x, y, 0x00ff0000); // transparent red
		Path png = dir.resolve("transparent.png");
		assertTrue(ImageIO.write(argb, "png", png.toFile()));
		LabelResult row = run(labeller().embeddings(true).build(), png).get(0);
		float[] red = model.embedImages(new ClipImageProcessor(model.preprocessing()).process(ColourModel.solid(12, 10,
			0xff0000)), 1)[0];
		assertArrayEquals(red, row.embedding(), 1e-5f, "the colour under the alpha, not ImageJ's white background");
		assertEquals("red", row.label());
	}

	@Test
	void folderIsSearchedRecursivelyInSortedOrderWithRelativeNames() {
		ColourModel.save(dir.resolve("b/x.png"), "green", 16, 16);
		ColourModel.save(dir.resolve("a.png"), "red", 16, 16);
		ColourModel.save(dir.resolve("b/a/y.tif"), "blue", 16, 16);
		ColourModel.save(dir.resolve(".hidden/z.png"), "blue", 16, 16);
		ColourModel.save(dir.resolve(".h.png"), "blue", 16, 16);
		List<LabelResult> rows = run(labeller().build(), dir);
		List<String> names = new ArrayList<>();
		for (LabelResult r : rows) names.add(r.image() + "=" + r.label());
		assertEquals(List.of("a.png=red", "b/a/y.tif=blue", "b/x.png=green"), names);
	}

	@Test
	void unreadableFilesAreReportedAndSkippedAndTheRestLabelled() throws IOException {
		ColourModel.save(dir.resolve("good1.png"), "red", 16, 16);
		ColourModel.save(dir.resolve("good2.tif"), "green", 16, 16);
		Files.write(dir.resolve("empty.png"), new byte[0]);
		Files.write(dir.resolve("text.png"), "not an image".getBytes(StandardCharsets.UTF_8));
		Path cut = ColourModel.save(dir.resolve("truncated.png"), "blue", 64, 64);
		byte[] all = Files.readAllBytes(cut);
		Files.write(cut, Arrays.copyOf(all, all.length / 2));
		Files.write(dir.resolve("notes.txt"), "ignored: not an image name".getBytes(StandardCharsets.UTF_8));

		List<LabelResult> rows = new ArrayList<>();
		LabelSummary summary = labeller().build().label(dir, rows::add);

		assertEquals(2, rows.size());
		assertEquals("good1.png", rows.get(0).image());
		assertEquals("red", rows.get(0).label());
		assertEquals("good2.tif", rows.get(1).image());
		assertEquals("green", rows.get(1).label());
		assertEquals(3, summary.skipped(), summary.skipReport());
		assertEquals(2, summary.planes());
		assertEquals(2, summary.images());
		String report = summary.skipReport();
		assertTrue(report.startsWith("3 files skipped:"), report);
		assertTrue(report.contains("empty.png: empty file"), report);
		assertTrue(report.contains("text.png: not an image"), report);
		assertTrue(report.contains("truncated.png: truncated PNG"), report);
	}

	@Test
	void nothingReadableIsAnErrorNamingTheFiles() throws IOException {
		Files.write(dir.resolve("empty.png"), new byte[0]);
		ClipException e = assertThrows(ClipException.class, () -> run(labeller().build(), dir));
		assertTrue(e.getMessage().startsWith(
			"No image could be read: 1 file skipped (empty.png: empty file (0 bytes))."), e.getMessage());
		Path emptyFolder = Files.createDirectory(dir.resolve("nothing"));
		e = assertThrows(ClipException.class, () -> run(labeller().build(), emptyFolder));
		assertTrue(e.getMessage().startsWith("No image files found in " + emptyFolder), e.getMessage());
	}

	@Test
	void stackGivesOneRowPerPlaneInOrder() {
		String[] colours = { "blue", "red", "green", "red", "black" };
		ImageStack stack = new ImageStack(20, 12);
		for (String c : colours) stack.addSlice(ColourModel.plane(20, 12, c));
		ImagePlus imp = new ImagePlus("stack", stack);
		List<LabelResult> rows = run(labeller().batchSize(2).build(), imp);
		assertEquals(colours.length, rows.size());
		for (int i = 0; i < colours.length; i++) {
			assertEquals("stack", rows.get(i).image());
			assertEquals(i + 1, rows.get(i).slice());
			assertEquals(colours[i], rows.get(i).label());
		}
	}

	/**
	 * A 2-channel hyperstack (red and green LUTs) with 3 slices and 2 frames: at (z, t) with z + t even the red
	 * channel is lit, otherwise the green one.
	 */
	private static CompositeImage hyperstack() {
		ImagePlus base = IJ.createHyperStack("hyper", 10, 8, 2, 3, 2, 8);
		for (int t = 1; t <= 2; t++) {
			for (int z = 1; z <= 3; z++) {
				for (int c = 1; c <= 2; c++) {
					boolean lit = ((z + t) % 2 == 0) == (c == 1);
					ImageProcessor ip = base.getStack().getProcessor(base.getStackIndex(c, z, t));
					ip.setValue(lit ? 255 : 0);
					ip.fill();
				}
			}
		}
		CompositeImage ci = base instanceof CompositeImage ? (CompositeImage) base
			: new CompositeImage(base, IJ.COMPOSITE);
		ci.setMode(IJ.COMPOSITE);
		ci.setChannelLut(LUT.createLutFromColor(Color.RED), 1);
		ci.setChannelLut(LUT.createLutFromColor(Color.GREEN), 2);
		for (int c = 1; c <= 2; c++) {
			ci.setPosition(c, 1, 1);
			ci.setDisplayRange(0, 255);
		}
		ci.setPosition(1, 1, 1);
		return ci;
	}

	@Test
	void hyperstackGivesOneRowPerPlaneWithItsChannelSliceAndFrame() {
		CompositeImage ci = hyperstack();
		assertEquals(12, ci.getStackSize());
		List<LabelResult> rows = run(labeller().batchSize(5).build(), ci);
		assertEquals(12, rows.size());
		int i = 0;
		for (int t = 1; t <= 2; t++) {
			for (int z = 1; z <= 3; z++) {
				for (int c = 1; c <= 2; c++) {
					LabelResult row = rows.get(i++);
					assertArrayEquals(new int[] { c, z, t }, new int[] { row.channel(), row.slice(), row.frame() });
					boolean lit = ((z + t) % 2 == 0) == (c == 1);
					assertEquals(lit ? (c == 1 ? "red" : "green") : "black", row.label(), row.toString());
				}
			}
		}
	}

	@Test
	void mergedChannelsGiveOneRowPerSliceAndFrameOfTheComposite() {
		CompositeImage ci = hyperstack();
		List<LabelResult> rows = run(labeller().mergeChannels(true).build(), ci);
		assertEquals(6, rows.size());
		int i = 0;
		for (int t = 1; t <= 2; t++) {
			for (int z = 1; z <= 3; z++) {
				LabelResult row = rows.get(i++);
				assertArrayEquals(new int[] { 0, z, t }, new int[] { row.channel(), row.slice(), row.frame() });
				assertEquals((z + t) % 2 == 0 ? "red" : "green", row.label(), row.toString());
			}
		}
		assertEquals(1, ci.getC(), "the image's position is left as it was");
	}

	@Test
	void hyperstackTiffFileGivesRowsPerPlaneOrPerSliceAndFrame() {
		Path tiff = dir.resolve("hyper.tif");
		assertTrue(new ij.io.FileSaver(hyperstack()).saveAsTiff(tiff.toString()));
		List<LabelResult> planes = run(labeller().build(), tiff);
		assertEquals(12, planes.size());
		LabelResult last = planes.get(11);
		assertArrayEquals(new int[] { 2, 3, 2 }, new int[] { last.channel(), last.slice(), last.frame() });
		assertEquals("green", last.label(), "z=3, t=2: the green channel is lit");
		assertEquals("black", planes.get(10).label(), "z=3, t=2: the red channel is dark");
		assertEquals("red", planes.get(8).label(), "z=2, t=2: the red channel is lit");
		List<LabelResult> merged = run(labeller().mergeChannels(true).build(), tiff);
		assertEquals(6, merged.size());
		for (int i = 0; i < 6; i++) {
			int z = i % 3 + 1, t = i / 3 + 1;
			assertEquals("hyper.tif", merged.get(i).image());
			assertEquals((z + t) % 2 == 0 ? "red" : "green", merged.get(i).label(), merged.get(i).toString());
		}
	}

	@Test
	void mergedChannelsOfAnImageInColourModeBlendAllChannels() {
		CompositeImage ci = hyperstack();
		ci.setMode(IJ.COLOR);
		ci.setPosition(2, 1, 1);
		List<LabelResult> rows = run(labeller().mergeChannels(true).build(), ci);
		assertEquals(6, rows.size());
		assertEquals("red", rows.get(0).label(), "z=1, t=1 has only the red channel lit");
		assertEquals("green", rows.get(1).label(), "z=2, t=1 has only the green channel lit");
		assertEquals(IJ.COLOR, ci.getMode(), "the image's mode is left as it was");
	}

	@Test
	void mergeLeavesSingleChannelStacksAsTheyAre() {
		ImageStack stack = new ImageStack(8, 8);
		stack.addSlice(ColourModel.plane(8, 8, "red"));
		stack.addSlice(ColourModel.plane(8, 8, "blue"));
		List<LabelResult> rows = run(labeller().mergeChannels(true).build(), new ImagePlus("rgb", stack));
		assertEquals(2, rows.size());
		assertEquals(1, rows.get(1).channel());
		assertEquals(2, rows.get(1).slice());
		assertEquals("blue", rows.get(1).label());
	}

	@Test
	void planesOfAGreyStackAreConvertedAsDisplayed() {
		ImageStack stack = new ImageStack(3, 1);
		stack.addSlice(new ShortProcessor(3, 1, new short[] { 100, 200, 300 }, null));
		stack.addSlice(new ShortProcessor(3, 1, new short[] { 400, 0, 50 }, null));
		ImagePlus imp = new ImagePlus("grey", stack);
		imp.setDisplayRange(0, 400);
		PlaneReader reader = new PlaneReader(imp, false);
		assertEquals(2, reader.count());
		for (int i = 0; i < 2; i++) {
			RgbImage expected = RgbConversion.fromImagePlus(imp, i + 1, 1);
			assertArrayEquals(expected.data(), reader.rgb(i).data(), "plane " + (i + 1));
		}
	}

	@Test
	void topLabelsAreSortedAndScoresAreProbabilities() {
		ImagePlus imp = new ImagePlus("g", ColourModel.plane(16, 16, "green"));
		ZeroShotLabeller labeller = labeller().topK(3).allScores(true).embeddings(true).build();
		assertEquals(3, labeller.topK());
		assertFalse(labeller.topKClamped());
		LabelResult row = run(labeller, imp).get(0);
		assertEquals(3, row.topK());
		assertEquals("green", row.label(0));
		assertTrue(row.score(0) >= row.score(1) && row.score(1) >= row.score(2), row.toString());
		float sum = 0;
		float[] all = row.allScores();
		assertEquals(4, all.length);
		for (float p : all) sum += p;
		assertEquals(1f, sum, 1e-5f);
		for (int k = 0; k < 3; k++) {
			assertEquals(all[ColourModel.COLOURS.indexOf(row.label(k))], row.score(k), 0f);
		}
		float[] embedding = row.embedding();
		assertEquals(model.config().projection_dim, embedding.length);
		double norm = 0;
		for (float v : embedding) norm += v * v;
		assertEquals(1.0, Math.sqrt(norm), 1e-4);
		float[][] direct = model.embedImages(new ClipImageProcessor(model.preprocessing())
			.process(ColourModel.solid(16, 16, ColourModel.rgb("green"))), 1);
		assertArrayEquals(direct[0], embedding, 1e-5f, "the same embedding as encoding the image alone");
	}

	@Test
	void topKLargerThanTheLabelsIsClamped() {
		ZeroShotLabeller labeller = labeller().topK(9).build();
		assertEquals(4, labeller.topK());
		assertTrue(labeller.topKClamped());
		LabelResult row = run(labeller, new ImagePlus("b", ColourModel.plane(8, 8, "blue"))).get(0);
		assertEquals(4, row.topK());
		assertEquals(ColourModel.COLOURS.size(), new java.util.HashSet<>(row.topLabels()).size());
		assertNull(row.embedding());
		assertFalse(row.hasAllScores());
		assertThrows(ClipException.class, () -> labeller().topK(0));
		assertThrows(ClipException.class, () -> labeller().batchSize(0));
	}

	@Test
	void cancellingStopsBetweenBatchesAndKeepsTheRowsSoFar() {
		ImageStack stack = new ImageStack(8, 8);
		for (int i = 0; i < 10; i++) stack.addSlice(ColourModel.plane(8, 8, ColourModel.COLOURS.get(i % 4)));
		AtomicInteger calls = new AtomicInteger();
		List<long[]> progress = new ArrayList<>();
		ProgressListener listener = new ProgressListener() {
			@Override
			public void progress(long done, long total) {
				progress.add(new long[] { done, total });
			}

			@Override
			public boolean isCancelled() {
				return calls.incrementAndGet() > 2; // the check before the run, then after batch 1
			}
		};
		List<LabelResult> rows = new ArrayList<>();
		LabelSummary summary = labeller().batchSize(3).progress(listener).build().label(List.of(ImagePlanes.input(new ImagePlus("s", stack))),
			rows::add);
		assertTrue(summary.cancelled());
		assertEquals(6, rows.size(), "two batches of 3 done before the cancel was seen");
		assertEquals(6, summary.planes());
		assertArrayEquals(new long[] { 3, 10 }, progress.get(0));
		assertArrayEquals(new long[] { 6, 10 }, progress.get(1));
		assertEquals(2, progress.size());

		List<LabelResult> none = new ArrayList<>();
		LabelSummary stopped = labeller().progress(ProgressListener.cancelledWhen(() -> true)).build()
			.label(List.of(ImagePlanes.input(new ImagePlus("s", stack))), none::add);
		assertTrue(stopped.cancelled());
		assertTrue(none.isEmpty());
	}

	@Test
	void cancellingDropsTheBatchesStillBeingEncoded() {
		ImageStack stack = new ImageStack(8, 8);
		for (int i = 0; i < 12; i++) stack.addSlice(ColourModel.plane(8, 8, ColourModel.COLOURS.get(i % 4)));
		AtomicInteger calls = new AtomicInteger();
		List<LabelResult> rows = new ArrayList<>();
		LabelSummary summary = labeller().batchSize(2).parallelBatches(3)
			.progress(ProgressListener.cancelledWhen(() -> calls.incrementAndGet() > 1)).build()
			.label(List.of(ImagePlanes.input(new ImagePlus("s", stack))), rows::add);
		assertTrue(summary.cancelled());
		assertEquals(2, rows.size(), "the first batch is delivered; the two encoded beside it are dropped");
		assertEquals(2, summary.planes());
	}

	@Test
	void batchesEncodedSideBySideGiveTheRowsOfOneAtATime() {
		ImageStack stack = new ImageStack(12, 10);
		Random random = new Random(3);
		for (int i = 0; i < 23; i++) {
			ImageProcessor ip = ColourModel.plane(12, 10, ColourModel.COLOURS.get(i % 4));
			ip.noise(20 + random.nextInt(40));
			stack.addSlice(ip);
		}
		ImagePlus imp = new ImagePlus("noisy", stack);
		List<LabelResult> one = run(labeller().batchSize(4).parallelBatches(1).allScores(true).embeddings(true).build(), imp);
		List<LabelResult> three = run(labeller().batchSize(4).parallelBatches(3).allScores(true).embeddings(true).build(), imp);
		assertEquals(23, one.size());
		assertEquals(one.size(), three.size());
		for (int i = 0; i < one.size(); i++) {
			assertEquals(i + 1, three.get(i).slice(), "rows in input order");
			assertEquals(one.get(i).label(), three.get(i).label());
			assertArrayEquals(one.get(i).allScores(), three.get(i).allScores(), 1e-5f);
			assertArrayEquals(one.get(i).embedding(), three.get(i).embedding(), 1e-5f);
		}
		assertThrows(ClipException.class, () -> labeller().parallelBatches(-1));
	}

	@Test
	void singleLabelGetsProbabilityOne() {
		try (ZeroShotClassifier one = ZeroShotClassifier.create(model, LabelSet.of("red"))) {
			LabelResult row = run(ZeroShotLabeller.builder(one).topK(3).build(),
				new ImagePlus("b", ColourModel.plane(8, 8, "blue"))).get(0);
			assertEquals(1, row.topK());
			assertEquals("red", row.label());
			assertEquals(1f, row.score(), 1e-6f);
		}
	}

	@Test
	void severalInputsAreLabelledInOrder() {
		Path file = ColourModel.save(dir.resolve("one.tif"), "green", 12, 12);
		List<LabelResult> rows = new ArrayList<>();
		LabelSummary summary = labeller().build().label(List.of(ImagePlanes.input(new ImagePlus("open", ColourModel.plane(8,
			8, "red"))), LabelInput.of(file)), rows::add);
		assertEquals(2, summary.images());
		assertEquals("open", rows.get(0).image());
		assertEquals("red", rows.get(0).label());
		assertEquals("one.tif", rows.get(1).image());
		assertEquals("green", rows.get(1).label());
		assertNotNull(summary.toString());
		assertThrows(ClipException.class, () -> LabelInput.of(dir.resolve("missing.png")));
	}
}
