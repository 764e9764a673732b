package sc.fiji.clip.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.io.Opener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.color.ColorFrame;
import sc.fiji.clip.color.ColorResult;

class ColorFilesTest {

	private static ColorResult palette() {
		ColorFrame start = new ColorFrame(0, 2, 1, new float[] { 0.5f, 0.5f, 0.5f, 0.2f, 0.4f, 0.6f },
			new double[] { 0.1, 0.2 });
		ColorFrame end = new ColorFrame(1, 2, 1, new float[] { 1f, 0f, 0f, 0f, 0f, 1f }, new double[] { 0.3, 0.7 });
		return new ColorResult("two colours", Arrays.asList(start, end), ColorResult.StopReason.COMPLETED);
	}

	@Test
	void slugsAreShortLowerCaseAscii() {
		assertEquals("the-color-of-a-banana", ColorFiles.slug("  The color of a banana! "));
		assertEquals("creme-brulee", ColorFiles.slug("Crème brûlée"));
		assertEquals("prompt", ColorFiles.slug("???"));
		assertTrue(ColorFiles.slug("a very long prompt ".repeat(10)).length() <= 48);
	}

	@Test
	void resultIsRankedAndTheCsvHasAColourColumnForAPalette() {
		ColorResult r = palette();
		assertEquals("#0000FF", r.color().hex(), "ranked by the best step's similarities");
		String csv = ColorFiles.csv(r);
		String[] lines = csv.split("\n");
		assertEquals("step,color,r,g,b,hex,similarity", lines[0]);
		assertEquals(5, lines.length);
		assertEquals("0,0,51,102,153,#336699,0.200000", lines[1]);
		assertEquals("1,0,0,0,255,#0000FF,0.700000", lines[3]);
	}

	@Test
	void filesHoldSwatchesProgressionAndSteps(@TempDir Path dir) throws Exception {
		ColorFiles.write(palette(), dir, 32);
		ImagePlus swatch = new Opener().openImage(dir.resolve(ColorFiles.SWATCH).toString());
		assertEquals(64, swatch.getWidth());
		assertEquals(32, swatch.getHeight());
		assertEquals(0x0000FF, swatch.getProcessor().get(5, 5) & 0xffffff);
		assertEquals(0xFF0000, swatch.getProcessor().get(40, 20) & 0xffffff);
		ImagePlus tiff = new Opener().openImage(dir.resolve(ColorFiles.PROGRESSION).toString());
		assertEquals(2, tiff.getStackSize());
		assertEquals("step 1 #0000FF 0.700 #FF0000 0.300", tiff.getStack().getSliceLabel(2));
		assertTrue(new String(Files.readAllBytes(dir.resolve(ColorFiles.CSV)), StandardCharsets.UTF_8).startsWith("step,"));
		try (java.util.stream.Stream<Path> files = Files.list(dir)) {
			assertEquals(3, files.count(), "no temporary files left");
		}
	}
}
