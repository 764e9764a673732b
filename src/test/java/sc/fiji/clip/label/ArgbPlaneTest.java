package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.imglib2.img.array.ArrayImgs;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;

/** ImgLib2 planes are labelled exactly as ImageJ images of the same pixels: ARGB as they are, real values as displayed. */
class ArgbPlaneTest {

	@Test
	void aGreyViewOfFloatsIsImageJsDisplayOfThem() {
		Random random = new Random(1);
		float[] values = new float[30 * 20];
		for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * 100 + 50);
		FloatProcessor fp = new FloatProcessor(30, 20, values.clone());
		fp.setMinAndMax(-40, 180);
		ArgbPlane view = ArgbPlane.grey(ArrayImgs.floats(values.clone(), 30, 20), -40, 180, 1, 1, 1);
		assertArrayEquals(RgbConversion.fromProcessor(fp).data(), ArgbPlane.rgb(view.pixels()).data());
	}

	@Test
	void planesOfAVirtualStackAreReadOnlyWhenAskedFor() {
		int[] reads = { 0 };
		ij.VirtualStack stack = new ij.VirtualStack(8, 8, null, null) {
			@Override
			public ij.process.ImageProcessor getProcessor(int n) {
				reads[0]++;
				ColorProcessor cp = new ColorProcessor(8, 8);
				cp.setColor(n * 40);
				cp.fill();
				return cp;
			}

			@Override
			public int getSize() {
				return 5;
			}
		};
		ImagePlus imp = new ImagePlus("virtual", stack);
		int before = reads[0];
		List<ArgbPlane> planes = ImagePlanes.argb(imp, false);
		assertEquals(5, planes.size());
		assertEquals(8, planes.get(4).width());
		assertEquals(before, reads[0], "listing the planes reads none");
		ArgbPlane.rgb(planes.get(3).pixels());
		assertEquals(before + 1, reads[0], "reading one plane reads one");
	}

	@Test
	void imgLib2PlanesGetTheRowsOfTheSameImageOpenInImageJ() {
		ColorProcessor cp = new ColorProcessor(24, 24);
		for (int y = 0; y < 24; y++) for (int x = 0; x < 24; x++) cp.set(x, y, ColourModel.rgb(x < 12 ? "red" : "blue") ^ (y * 3));
		try (ClipModel model = ModelFiles.load(ColourModel.file(), Device.cpu());
			ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(ColourModel.COLOURS)))
		{
			ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).allScores(true).build();
			List<LabelResult> imagej = new ArrayList<>(), imglib2 = new ArrayList<>();
			labeller.label(List.of(ImagePlanes.input(new ImagePlus("x", cp))), imagej::add);
			labeller.label("x", List.of(new ArgbPlane(ArrayImgs.argbs((int[]) cp.getPixels(), 24, 24), 1, 1, 1)), imglib2::add);
			assertEquals(1, imglib2.size());
			assertEquals(imagej.get(0).label(), imglib2.get(0).label());
			assertArrayEquals(imagej.get(0).allScores(), imglib2.get(0).allScores());
		}
	}
}
