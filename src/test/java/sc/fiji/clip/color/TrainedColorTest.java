package sc.fiji.clip.color;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.model.ClipModel;

/** A tiny model trained here on solid colours: the optimiser must find the colour a word names. */
class TrainedColorTest {

	private static ClipModel model;

	@BeforeAll
	static void train() {
		long t0 = System.nanoTime();
		model = SolidColorModel.train(3, 300);
		System.out.printf("solid-colour model: loss %.3f after 300 steps, %.1f s%n", SolidColorModel.lastLoss,
			(System.nanoTime() - t0) / 1e9);
	}

	@AfterAll
	static void close() {
		if (model != null) model.close();
	}

	@Test
	void redComesOutRedAndBlueComesOutBlue() {
		List<ColorResult> rs = new ColorOptimizer(model).optimize(Arrays.asList("red", "blue"), ColorOptions.defaults(),
			ColorProgress.NONE);
		Rgb red = rs.get(0).color(), blue = rs.get(1).color();
		System.out.println(rs.get(0) + "\n" + rs.get(1));
		assertTrue(red.r() - Math.max(red.g(), red.b()) > 0.2, "red: " + red);
		assertTrue(blue.b() - Math.max(blue.r(), blue.g()) > 0.2, "blue: " + blue);
		for (ColorResult r : rs) assertTrue(r.similarity() >= r.frames().get(0).similarity(0), r.toString());
	}

	@Test
	void fromMidGreyWithoutTheSearchTheStepsFindTheColourToo() {
		List<ColorResult> rs = new ColorOptimizer(model).optimize(Arrays.asList("red", "blue"),
			ColorOptions.builder().start(Rgb.GREY).build(), ColorProgress.NONE);
		Rgb red = rs.get(0).color(), blue = rs.get(1).color();
		assertTrue(red.r() - Math.max(red.g(), red.b()) > 0.2, "red: " + red);
		assertTrue(blue.b() - Math.max(blue.r(), blue.g()) > 0.2, "blue: " + blue);
		for (ColorResult r : rs) assertTrue(r.similarity() > r.frames().get(0).similarity(0) + 0.1, r.toString());
	}

	@Test
	void paletteColoursDifferPairwiseAndAreRankedBySimilarity() {
		ColorResult r = new ColorOptimizer(model).optimize("red", ColorOptions.builder().colors(4).seed(5).build());
		List<Rgb> colors = r.colors();
		double[] sims = r.similarities();
		System.out.println("palette 'red': " + colors + " " + Arrays.toString(sims));
		assertEquals(4, colors.size());
		for (int i = 0; i < 4; i++) {
			for (int j = 0; j < i; j++) {
				assertTrue(colors.get(i).distance(colors.get(j)) > 0.05, "colours " + j + " and " + i + ": " + colors);
			}
		}
		for (int i = 1; i < 4; i++) assertTrue(sims[i - 1] >= sims[i], Arrays.toString(sims));
		assertEquals(sims[0], r.similarity());
		assertEquals(colors.get(0), r.color());
		Rgb best = colors.get(0);
		assertTrue(best.r() - Math.max(best.g(), best.b()) > 0.2, "best palette colour for red: " + best);
	}

	@Test
	void repulsionKeepsPaletteColoursApart() {
		ColorOptions.Builder o = ColorOptions.builder().colors(4).seed(5).earlyStop(0, 0);
		double without = minDistance(new ColorOptimizer(model).optimize("red", o.separation(0, 0.15f).build()));
		double with = minDistance(new ColorOptimizer(model).optimize("red", o.separation(0.5f, 0.15f).build()));
		System.out.printf("palette 'red': closest pair %.3f without repulsion, %.3f with%n", without, with);
		assertTrue(with > without, without + " -> " + with);
	}

	private static double minDistance(ColorResult r) {
		double min = Double.POSITIVE_INFINITY;
		List<Rgb> c = r.colors();
		for (int i = 0; i < c.size(); i++) {
			for (int j = 0; j < i; j++) min = Math.min(min, c.get(i).distance(c.get(j)));
		}
		return min;
	}
}
