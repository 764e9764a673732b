package sc.fiji.clip.color;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** The optimiser on a random tiny model: mechanics that hold whatever the model has learned. */
class ColorOptimizerTest {

	private static ClipModel model;

	@BeforeAll
	static void create() {
		model = ClipModel.create(ClipPreset.TINY.config(), 7, Device.cpu());
	}

	@AfterAll
	static void close() {
		model.close();
	}

	private static ColorOptions.Builder options(int steps) {
		return ColorOptions.builder().steps(steps).earlyStop(0, 0);
	}

	@Test
	void similarityRisesFromTheStart() {
		ColorResult r = new ColorOptimizer(model).optimize("banana", options(100).start(Rgb.GREY).build());
		double first = r.frames().get(0).similarity(0), last = r.lastFrame().similarity(0);
		System.out.printf("random tiny, 'banana': %.4f -> %.4f, %s%n", first, last, r.color());
		assertEquals(101, r.frames().size(), "the start and one frame per step");
		assertEquals(Rgb.GREY.hex(), r.frames().get(0).color(0).hex(), "starts at mid-grey");
		assertTrue(last > first + 0.01, first + " -> " + last);
		assertTrue(r.similarity() >= last, "the result is the best recorded step");
		assertEquals(ColorResult.StopReason.COMPLETED, r.stopReason());
	}

	@Test
	void theSearchStartsEachPromptFromItsMostSimilarGridColour() {
		List<String> prompts = List.of("banana", "sky");
		ColorOptions o = options(0).search(3).build();
		List<ColorResult> rs = new ColorOptimizer(model).optimize(prompts, o, ColorProgress.NONE);
		Rgb[] grid = StartColors.grid(3);
		float[] rgb = new float[grid.length * 3];
		for (int g = 0; g < grid.length; g++) for (int c = 0; c < 3; c++) rgb[g * 3 + c] = (float) grid[g].channel(c);
		float[][] texts = model.embedTexts(prompts);
		float[][] images;
		try (NDManager m = model.newScope()) {
			double[] mean = model.preprocessing().mean(), std = model.preprocessing().std();
			NDArray mu = m.create(new float[] { (float) mean[0], (float) mean[1], (float) mean[2] }, new Shape(1, 3));
			NDArray sd = m.create(new float[] { (float) std[0], (float) std[1], (float) std[2] }, new Shape(1, 3));
			images = ClipModel.rows(model.encodeColors(m.create(rgb, new Shape(grid.length, 3)).sub(mu).div(sd)));
		}
		for (int p = 0; p < prompts.size(); p++) {
			int best = 0;
			double bestSim = Double.NEGATIVE_INFINITY;
			for (int g = 0; g < grid.length; g++) {
				double sim = 0;
				for (int d = 0; d < texts[p].length; d++) sim += images[g][d] * texts[p][d];
				if (sim > bestSim) {
					bestSim = sim;
					best = g;
				}
			}
			ColorResult r = rs.get(p);
			assertEquals(1, r.frames().size(), "0 steps: the start alone");
			Rgb start = r.frames().get(0).color(0);
			assertTrue(grid[best].distance(start) < 1e-4, prompts.get(p) + ": " + start + " is not " + grid[best]);
			assertEquals(bestSim, r.frames().get(0).similarity(0), 1e-4, prompts.get(p));
		}
	}

	@Test
	void aPaletteStartsFromTheBestGridColoursThatLieApart() {
		Rgb a = new Rgb(0.5, 0.5, 0.5), nearA = new Rgb(0.52, 0.5, 0.5), far = new Rgb(0.1, 0.1, 0.1);
		Rgb[] grid = { far, nearA, a };
		float[] sims = { 0.1f, 0.89f, 0.9f };
		assertEquals(List.of(a, far), List.of(StartColors.best(grid, sims, 2)), "the close second best is passed over");
		assertEquals(List.of(a, far, nearA), List.of(StartColors.best(grid, sims, 3)), "when too few lie apart, the best of the rest");
		Rgb[] one = StartColors.best(StartColors.grid(1), new float[] { 0 }, 2);
		assertEquals(one[0], one[1], "a palette larger than the grid repeats its colours");
		assertEquals(27, StartColors.grid(3).length);
		assertEquals(new Rgb(1 / 6.0, 1 / 6.0, 5 / 6.0), StartColors.grid(3)[2], "channels at (i + 0.5) / levels, blue fastest");
	}

	@Test
	void everyRecordedColourStaysInTheUnitCubeEvenWithAHugeLearningRate() {
		ColorResult r = new ColorOptimizer(model).optimize("banana",
			options(60).learningRate(3f).start(new Rgb(0.999, 0.001, 0.5)).build());
		double extreme = 0;
		for (ColorFrame f : r.frames()) {
			for (float v : f.pixels(0)) {
				assertTrue(v >= 0 && v <= 1, "step " + f.step() + ": " + v);
				extreme = Math.max(extreme, Math.abs(v - 0.5));
			}
		}
		for (ColorStep s : r.steps()) {
			for (int c = 0; c < 3; c++) assertTrue(s.color().channel(c) >= 0 && s.color().channel(c) <= 1, s.toString());
		}
		assertTrue(extreme > 0.45, "the run reached the bounds' neighbourhood: " + extreme);
	}

	@Test
	void imageHasTheRequestedSizeAndValuesInTheUnitRange() {
		ColorResult r = new ColorOptimizer(model).optimize("banana", options(15).size(5).build());
		ColorFrame f = r.bestFrame();
		assertEquals(5, f.size());
		assertEquals(3 * 5 * 5, f.pixels(0).length);
		for (ColorFrame frame : r.frames()) {
			for (float v : frame.pixels(0)) assertTrue(v >= 0 && v <= 1, "step " + frame.step() + ": " + v);
		}
		float[] px = r.lastFrame().pixels(0);
		float min = 1, max = 0;
		for (float v : px) {
			min = Math.min(min, v);
			max = Math.max(max, v);
		}
		assertTrue(max - min > 1e-4, "pixels moved apart: the image is optimised per pixel");
		assertTrue(r.lastFrame().similarity(0) > r.frames().get(0).similarity(0));
	}

	@Test
	void largerImageThanTheModelInputIsRefused() {
		ClipException e = assertThrows(ClipException.class,
			() -> new ColorOptimizer(model).optimize("x", options(1).size(model.imageSize() + 1).build()));
		assertTrue(e.getMessage().contains("input size"), e.getMessage());
	}

	@Test
	void gradientsNeverReachTheModelWeights() {
		Map<String, float[]> before = new LinkedHashMap<>();
		for (String name : model.weights().names()) before.put(name, model.weights().get(name).toFloatArray());
		new ColorOptimizer(model).optimize(Arrays.asList("banana", "sky"), options(5).colors(2).build(), ColorProgress.NONE);
		new ColorOptimizer(model).optimize("banana", options(5).size(4).build());
		for (String name : model.weights().names()) {
			NDArray w = model.weights().get(name);
			assertFalse(JniUtils.requiresGrad((PtNDArray) w), name + " records gradients");
			assertNull(JniUtils.getGradient((PtNDArray) w), name + " has a gradient");
			assertArrayEquals(before.get(name), w.toFloatArray(), name + " changed");
		}
	}

	@Test
	void trainableModelIsRefused() {
		try (ClipModel trainable = ClipModel.create(ClipPreset.TINY.config(), 1, Device.cpu())) {
			trainable.weights().setTrainable(true);
			assertThrows(IllegalStateException.class, () -> new ColorOptimizer(trainable).optimize("x", options(1).build()));
		}
	}

	@Test
	void cancelledRunReturnsTheStepsItRecorded() {
		List<Integer> calls = new ArrayList<>();
		ColorProgress cancelAfterFive = new ColorProgress() {
			@Override
			public void progress(int step, int total) {
				calls.add(step);
				assertEquals(50, total);
			}

			@Override
			public boolean isCancelled() {
				return calls.size() >= 5;
			}
		};
		List<ColorResult> rs = new ColorOptimizer(model).optimize(Arrays.asList("banana", "sky"), options(50).build(),
			cancelAfterFive);
		assertEquals(Arrays.asList(1, 2, 3, 4, 5), calls);
		for (ColorResult r : rs) {
			assertEquals(ColorResult.StopReason.CANCELLED, r.stopReason());
			assertEquals(5, r.stepsTaken());
			assertEquals(6, r.frames().size());
		}
	}

	@Test
	void runStopsEarlyWhenTheSimilarityNoLongerRises() {
		List<Integer> calls = new ArrayList<>();
		ColorResult r = new ColorOptimizer(model).optimize(Arrays.asList("banana"),
			ColorOptions.builder().steps(100).learningRate(1e-6f).earlyStop(7, 1e-3).build(), (step, total) -> calls.add(step))
			.get(0);
		assertEquals(ColorResult.StopReason.CONVERGED, r.stopReason());
		assertEquals(7, r.stepsTaken(), "the start, then 7 steps without a rise of 0.001");
		assertEquals(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 100), calls, "progress ends at the total");
	}

	@Test
	void eachPromptGetsTheResultItWouldGetAlone() {
		ColorOptions o = options(20).colors(2).build();
		List<ColorResult> together = new ColorOptimizer(model).optimize(Arrays.asList("banana", "sky", "grass"), o,
			ColorProgress.NONE);
		ColorResult alone = new ColorOptimizer(model).optimize("sky", o);
		assertEquals("sky", together.get(1).prompt());
		for (int k = 0; k < 2; k++) {
			assertEquals(alone.similarities()[k], together.get(1).similarities()[k], 1e-4);
			assertEquals(alone.colors().get(k).distance(together.get(1).colors().get(k)), 0, 1e-3);
		}
	}

	@Test
	void emptyPromptIsAUserError() {
		assertThrows(ClipException.class, () -> new ColorOptimizer(model).optimize(" ", options(1).build()));
	}
}
