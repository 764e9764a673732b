package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.demo.ShapesDataset;

/**
 * {@code fiji-clip demo} as a user runs it, with its defaults: it trains, labels, and prints for each colour word a
 * colour of that word's hue (about 30 s on 2 cores).
 */
class DemoCommandTest {

	/** The hue a person means by each colour word, in degrees. */
	private static final Map<String, Double> HUES = Map.of("red", 0.0, "yellow", 55.0, "green", 120.0, "blue", 225.0,
		"purple", 280.0);

	private static final Pattern COLOUR = Pattern.compile("Colour of '(\\w+)': #([0-9A-F]{6})");

	@TempDir
	Path dir;

	@Test
	void theDemoPrintsAColourOfTheRightHueForEachColourWord() {
		CliRun r = CliRun.of("demo", "--out", dir.resolve("demo").toString(), "--threads", "2", "--device", "cpu");
		assertEquals(0, r.code, r.toString());
		assertTrue(r.out.contains("Zero-shot accuracy on"), r.toString());
		Map<String, Color> found = new LinkedHashMap<>();
		Matcher m = COLOUR.matcher(r.out);
		while (m.find()) found.put(m.group(1), new Color(Integer.parseInt(m.group(2), 16)));
		assertEquals(ShapesDataset.COLORS, java.util.List.copyOf(found.keySet()), r.out);
		for (Map.Entry<String, Color> e : found.entrySet()) {
			Color c = e.getValue();
			float[] hsb = Color.RGBtoHSB(c.getRed(), c.getGreen(), c.getBlue(), null);
			String nearest = nearestHue(hsb[0] * 360);
			assertEquals(e.getKey(), nearest, e.getKey() + " came out " + c + " (hue " + hsb[0] * 360 + ")\n" + r.out);
			assertTrue(hsb[1] > 0.3, e.getKey() + " is almost grey: " + c + " (saturation " + hsb[1] + ")\n" + r.out);
		}
		assertTrue(Files.isRegularFile(dir.resolve("demo").resolve("shapes-model.zip")));
	}

	private static String nearestHue(double hue) {
		String best = null;
		double bestDistance = Double.POSITIVE_INFINITY;
		for (Map.Entry<String, Double> e : HUES.entrySet()) {
			double d = Math.abs(hue - e.getValue()) % 360;
			d = Math.min(d, 360 - d);
			if (d < bestDistance) {
				bestDistance = d;
				best = e.getKey();
			}
		}
		return best;
	}
}
