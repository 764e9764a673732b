package sc.fiji.clip.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.CompositeImage;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.image.Fixture;
import sc.fiji.clip.image.RgbImage;

class RgbConversionTest {

	private static int[] rgb(RgbImage im, int x, int y) {
		return new int[] {im.get(x, y, 0), im.get(x, y, 1), im.get(x, y, 2)};
	}

	@Test
	void packedArgbIsOpaqueAndKeepsEveryChannel() {
		RgbImage rgb = new RgbImage(2, 1, new byte[] { (byte) 255, 0, 18, 1, (byte) 128, (byte) 200 });
		assertArrayEquals(new int[] { 0xffff0012, 0xff0180c8 }, rgb.toArgb());
	}

	@Test
	void colorProcessorKeepsRawChannels() {
		ColorProcessor cp = new ColorProcessor(2, 1, new int[] {0xff123456, 0x00fe0180});
		RgbImage im = RgbConversion.fromProcessor(cp);
		assertArrayEquals(new int[] {0x12, 0x34, 0x56}, rgb(im, 0, 0));
		assertArrayEquals(new int[] {0xfe, 0x01, 0x80}, rgb(im, 1, 0));
	}

	@Test
	void greyPngKeepsRawValuesUnlikeAwtGetRgb() throws IOException {
		ImagePlus imp = IJ.openImage(Fixture.image("gray_120x40").toString());
		assertEquals(ImagePlus.GRAY8, imp.getType());
		byte[] raw = (byte[]) imp.getProcessor().getPixels();
		RgbImage im = RgbConversion.fromImagePlus(imp);
		int differsFromAwt = 0;
		BufferedImage bi = ImageIO.read(Fixture.image("gray_120x40").toFile());
		for (int y = 0; y < 40; y++) {
			for (int x = 0; x < 120; x++) {
				int v = raw[y * 120 + x] & 0xff;
				assertArrayEquals(new int[] {v, v, v}, rgb(im, x, y));
				assertEquals(bi.getRaster().getSample(x, y, 0), v);
				if ((bi.getRGB(x, y) & 0xff) != v) differsFromAwt++;
			}
		}
		assertTrue(differsFromAwt > 0, "AWT getRGB is expected to alter grey values");
	}

	@Test
	void grey8BitIgnoresDisplayRangeButUsesColourLut() {
		ByteProcessor bp = new ByteProcessor(3, 1, new byte[] {0, 100, (byte) 200});
		bp.setMinAndMax(50, 150);
		assertArrayEquals(new int[] {100, 100, 100}, rgb(RgbConversion.fromProcessor(bp), 1, 0));
		bp.setLut(LUT.createLutFromColor(Color.GREEN));
		assertArrayEquals(new int[] {0, 200, 0}, rgb(RgbConversion.fromProcessor(bp), 2, 0));
		bp.setLut(LUT.createLutFromColor(Color.WHITE).createInvertedLut());
		assertArrayEquals(new int[] {155, 155, 155}, rgb(RgbConversion.fromProcessor(bp), 1, 0));
	}

	@Test
	void sixteenBitScalesThroughDisplayRange() {
		ShortProcessor sp = new ShortProcessor(5, 1, new short[] {0, 1000, 1500, 2000, (short) 60000}, null);
		sp.setMinAndMax(1000, 2000);
		RgbImage im = RgbConversion.fromProcessor(sp);
		int[] expected = {0, 0, 128, 255, 255};
		for (int x = 0; x < 5; x++) assertArrayEquals(new int[] {expected[x], expected[x], expected[x]}, rgb(im, x, 0), "x=" + x);
	}

	@Test
	void thirtyTwoBitScalesAndMapsNanAndInfinities() {
		float[] px = {-1f, 0f, 0.25f, 1f, 2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
		FloatProcessor fp = new FloatProcessor(px.length, 1, px);
		fp.setMinAndMax(0, 1);
		RgbImage im = RgbConversion.fromProcessor(fp);
		int[] expected = {0, 0, 64, 255, 255, 0, 255, 0};
		for (int x = 0; x < px.length; x++) assertEquals(expected[x], im.get(x, 0, 1), "value " + px[x]);
	}

	@Test
	void compositePlaneGivesRenderedColours() {
		int w = 2, h = 1, channels = 2, slices = 2, frames = 2;
		ImageStack stack = new ImageStack(w, h);
		for (int t = 0; t < frames; t++) {
			for (int z = 0; z < slices; z++) {
				for (int c = 0; c < channels; c++) {
					int v = 10 * (1 + c) + 100 * z + 40 * t;
					stack.addSlice(new ByteProcessor(w, h, new byte[] {(byte) v, (byte) (v + 1)}));
				}
			}
		}
		ImagePlus base = new ImagePlus("hyper", stack);
		base.setDimensions(channels, slices, frames);
		CompositeImage ci = new CompositeImage(base, IJ.COMPOSITE);
		ci.setChannelLut(LUT.createLutFromColor(Color.RED), 1);
		ci.setChannelLut(LUT.createLutFromColor(Color.GREEN), 2);
		ci.setPosition(2, 1, 1);
		ci.setDisplayRange(0, 255);
		ci.setPosition(1, 1, 1);
		ci.setDisplayRange(0, 255);

		RgbImage plane = RgbConversion.fromImagePlus(ci, 2, 2);
		// z = 2, t = 2: channel 1 = 10 + 100 + 40, channel 2 = 20 + 100 + 40
		assertArrayEquals(new int[] {150, 160, 0}, rgb(plane, 0, 0));
		assertArrayEquals(new int[] {151, 161, 0}, rgb(plane, 1, 0));
		assertEquals(1, ci.getZ(), "position restored");
		assertEquals(1, ci.getT(), "position restored");
		assertArrayEquals(new int[] {10, 20, 0}, rgb(RgbConversion.fromImagePlus(ci), 0, 0));

		ci.setPosition(1, 1, 1);
		ci.setDisplayRange(0, 127);
		assertArrayEquals(new int[] {20, 20, 0}, rgb(RgbConversion.fromImagePlus(ci, 1, 1), 0, 0), "display range applies");
	}

	@Test
	void stackPlaneOfNonCompositeUsesDisplayRange() {
		ImageStack stack = new ImageStack(1, 1);
		stack.addSlice(new ShortProcessor(1, 1, new short[] {100}, null));
		stack.addSlice(new ShortProcessor(1, 1, new short[] {300}, null));
		ImagePlus imp = new ImagePlus("s", stack);
		imp.setDisplayRange(0, 400);
		assertArrayEquals(new int[] {191, 191, 191}, rgb(RgbConversion.fromImagePlus(imp, 2, 1), 0, 0));
		assertArrayEquals(new int[] {64, 64, 64}, rgb(RgbConversion.fromImagePlus(imp, 1, 1), 0, 0));
	}

	@Test
	void imageJOpenerCompositesAlphaButFileReaderDropsIt() throws IOException {
		ImagePlus imp = IJ.openImage(Fixture.image("rgba_40x56").toString());
		int[] viaImageJ = rgb(RgbConversion.fromImagePlus(imp), 3, 0);
		int[] viaReader = rgb(RgbConversion.read(Fixture.image("rgba_40x56")), 3, 0);
		assertArrayEquals(new int[] {18, 255, 0}, viaReader);
		assertNotEquals(18, viaImageJ[0], "ImageJ draws RGBA PNGs onto white");
		System.out.println("rgba_40x56 pixel (3,0): IJ.openImage " + Arrays.toString(viaImageJ) + ", RgbConversion.read " + Arrays.toString(viaReader));
	}

	@Test
	void fileReaderHandlesGreyAlphaPaletteAnd16Bit() {
		BufferedImage ga = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
		ga.setRGB(0, 0, 0x10203040);
		assertArrayEquals(new int[] {0x20, 0x30, 0x40}, rgb(RgbConversion.fromBufferedImage(ga), 0, 0));

		BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
		grey16.getRaster().setSample(0, 0, 0, 200);
		grey16.getRaster().setSample(1, 0, 0, 40000);
		RgbImage g = RgbConversion.fromBufferedImage(grey16);
		assertArrayEquals(new int[] {200, 200, 200}, rgb(g, 0, 0));
		assertArrayEquals(new int[] {255, 255, 255}, rgb(g, 1, 0));

		byte[] r = {0, (byte) 200}, gr = {0, 10}, b = {0, 99};
		BufferedImage indexed = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_INDEXED,
			new IndexColorModel(8, 2, r, gr, b));
		indexed.getRaster().setSample(0, 0, 0, 1);
		assertArrayEquals(new int[] {200, 10, 99}, rgb(RgbConversion.fromBufferedImage(indexed), 0, 0));
	}
}
