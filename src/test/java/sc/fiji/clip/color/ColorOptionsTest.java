package sc.fiji.clip.color;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;

class ColorOptionsTest {

	@Test
	void defaultsAreOneColourForAHundredStepsFromAThreeLevelSearch() {
		ColorOptions o = ColorOptions.defaults();
		assertEquals(3, o.search());
		assertEquals(0, ColorOptions.builder().start(Rgb.GREY).build().search(), "a start colour given: no search");
		assertEquals(100, o.steps());
		assertEquals(0.1f, o.learningRate());
		assertEquals(0f, o.weightDecay());
		assertEquals(Rgb.GREY, o.start());
		assertEquals(1, o.colors());
		assertEquals(1, o.size());
		assertEquals(0f, StartColors.logits(o)[0], "mid-grey is logit 0");
	}

	@Test
	void badValuesAreUserErrorsNamingTheSetting() {
		assertTrue(assertThrows(ClipException.class, () -> ColorOptions.builder().steps(-1).build()).getMessage()
			.contains("steps"));
		assertTrue(assertThrows(ClipException.class, () -> ColorOptions.builder().learningRate(0).build()).getMessage()
			.contains("learning rate"));
		assertThrows(ClipException.class, () -> ColorOptions.builder().colors(0).build());
		assertThrows(ClipException.class, () -> ColorOptions.builder().size(0).build());
		assertThrows(ClipException.class, () -> ColorOptions.builder().earlyStop(-1, 0).build());
	}

	@Test
	void paletteStartsAreDistinctAndFollowTheSeed() {
		ColorOptions o = ColorOptions.builder().colors(6).seed(11).build();
		Rgb[] a = StartColors.of(o), b = StartColors.of(o), c = StartColors.of(o.toBuilder().seed(12).build());
		assertEquals(Arrays.asList(a), Arrays.asList(b));
		assertNotEquals(Arrays.asList(a), Arrays.asList(c));
		assertEquals(Rgb.GREY, a[0]);
		for (int i = 0; i < a.length; i++) {
			for (int j = 0; j < i; j++) assertTrue(a[i].distance(a[j]) >= StartColors.MIN_DISTANCE, a[i] + " " + a[j]);
		}
	}

	@Test
	void startAtTheBoundsGetsAFiniteLogit() {
		float[] l = StartColors.logits(ColorOptions.builder().start(new Rgb(0, 1, 0.5)).build());
		for (float v : l) assertTrue(Float.isFinite(v));
		assertTrue(l[0] < -6 && l[1] > 6);
	}

	@Test
	void hexRoundTrips() {
		Rgb c = Rgb.parse("#1a2B3c");
		assertEquals("#1A2B3C", c.hex());
		assertEquals(0x1a, c.red());
		assertEquals(0x3c, c.blue());
		assertThrows(ClipException.class, () -> Rgb.parse("red"));
	}
}
