package sc.fiji.clip.regions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.io.RoiEncoder;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageJRois;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.PlaneReader;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * ROIs of known content are labelled by what is inside them: rectangles and ovals on squares of one colour, a mask
 * that hides the rest of the box, ROIs on their own slice, a ROI set read back from a zip; bad ROIs are refused.
 */
class RegionLabellerTest {

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

	/** Slice 1: red | green | blue squares of 32 px; slice 2: all black. */
	private static ImagePlus image() {
		ColorProcessor one = new ColorProcessor(96, 32), two = new ColorProcessor(96, 32);
		String[] colours = { "red", "green", "blue" };
		for (int y = 0; y < 32; y++) {
			for (int x = 0; x < 96; x++) {
				one.set(x, y, ColourModel.rgb(colours[x / 32]));
				two.set(x, y, ColourModel.rgb("black"));
			}
		}
		ImageStack stack = new ImageStack(96, 32);
		stack.addSlice(one);
		stack.addSlice(two);
		return new ImagePlus("squares", stack);
	}

	private static List<String> label(ImagePlus imp, List<Roi> rois, int padding, boolean mask) {
		List<ArgbPlane> planes = ImagePlanes.argb(imp, false);
		List<String> rows = new ArrayList<>();
		new RegionLabeller(classifier, padding, mask, 1, 4, ProgressListener.NONE).label("squares", planes,
			ImageJRois.regions(rois, imp), (i, r, row) -> rows.add(r.name() + "@z" + row.slice() + "=" + row.label()));
		return rows;
	}

	private static Roi on(Roi roi, String name, int slice) {
		roi.setName(name);
		if (slice > 0) roi.setPosition(slice);
		return roi;
	}

	@Test
	void eachRoiGetsTheColourInsideIt() {
		List<String> rows = label(image(), List.of(on(new Roi(2, 2, 28, 28), "a", 1), on(new OvalRoi(36, 4, 24, 24), "b", 1),
			on(new Roi(66, 0, 30, 32), "c", 1), on(new Roi(40, 8, 16, 16), "d", 2)), 0, false);
		assertEquals(List.of("a@z1=red", "b@z1=green", "c@z1=blue", "d@z2=black"), rows);
	}

	@Test
	void aRoiWithoutAPlaneIsLabelledOnEveryPlane() {
		assertEquals(List.of("e@z1=green", "e@z2=black"), label(image(), List.of(on(new Roi(36, 4, 24, 24), "e", 0)), 0, false));
	}

	@Test
	void theMaskHidesTheRestOfTheBox() {
		// a box mostly red with a small oval in the green square; masked, the red around the oval is black
		ij.gui.Roi oval = new OvalRoi(34, 10, 12, 12);
		ij.gui.ShapeRoi union = new ij.gui.ShapeRoi(oval).or(new ij.gui.ShapeRoi(new Roi(0, 0, 1, 1)));
		union.setName("u");
		union.setPosition(1);
		assertEquals(List.of("o@z1=green"), label(image(), List.of(on(new OvalRoi(36, 4, 24, 24), "o", 1)), 0, true),
			"a masked oval is labelled by what is inside it");
		Region r = ImageJRois.regions(List.of(union), image()).get(0);
		RegionCrops masked = new RegionCrops("squares", new ArgbPlane(ArgbPlane.argb(new PlaneReader(image(), false).rgb(0)), 1, 1, 1),
			List.of(r), new int[] { 1, 1, 1 }, 0, true);
		masked.open();
		sc.fiji.clip.image.RgbImage crop = masked.crop(r);
		int offsetY = (crop.height() - r.height()) / 2;
		assertEquals(0, crop.get(10, offsetY + 16, 0), "red pixels of the box outside the ROI are black");
		assertEquals(ColourModel.rgb("green") >> 8 & 0xff, crop.get(40, offsetY + 16, 1), "the oval keeps its green");
	}

	@Test
	void aRoiSetZipIsReadBackWithItsNamesAndPositions() throws IOException {
		Path zip = dir.resolve("RoiSet.zip");
		try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
			for (Roi roi : List.of(on(new Roi(2, 2, 28, 28), "first", 1), on(new Roi(40, 8, 16, 16), "second", 2))) {
				z.putNextEntry(new ZipEntry(roi.getName() + ".roi"));
				z.write(RoiEncoder.saveAsByteArray(roi));
				z.closeEntry();
			}
		}
		List<Roi> rois = ImageJRois.read(zip);
		assertEquals(2, rois.size());
		assertEquals(List.of("first@z1=red", "second@z2=black"), label(image(), rois, 0, false));
		Path empty = dir.resolve("empty.zip");
		try (OutputStream out = Files.newOutputStream(empty); ZipOutputStream z = new ZipOutputStream(out)) {
			z.putNextEntry(new ZipEntry("readme.txt"));
			z.closeEntry();
		}
		ClipException none = assertThrows(ClipException.class, () -> ImageJRois.read(empty));
		assertTrue(none.getMessage().contains("holds no ROIs"), none.getMessage());
	}

	@Test
	void roisOutsideTheImageOrOnAMissingPlaneAreRefused() {
		ClipException outside = assertThrows(ClipException.class,
			() -> label(image(), List.of(on(new Roi(200, 0, 10, 10), "far", 1)), 0, false));
		assertTrue(outside.getMessage().contains("\"far\" at (200, 0), 10 x 10, lies outside the image squares (96 x 32)"),
			outside.getMessage());
		Roi late = on(new Roi(0, 0, 10, 10), "late", 0);
		late.setPosition(1, 5, 1);
		ClipException plane = assertThrows(ClipException.class, () -> label(image(), List.of(late), 0, false));
		assertTrue(plane.getMessage().contains("\"late\" is on plane c=1 z=5 t=1"), plane.getMessage());
		ClipException none = assertThrows(ClipException.class, () -> label(image(), List.of(), 0, false));
		assertTrue(none.getMessage().startsWith("No ROIs to label"), none.getMessage());
	}

	@Test
	void paddingAddsContextAroundTheBox() {
		// a thin ROI on the red/green border: with a wide padding the crop is centred there and sees both
		Region r = new Region("edge", 30, 10, 4, 4, null, null);
		RegionCrops crops = new RegionCrops("squares", new ArgbPlane(ArgbPlane.argb(new PlaneReader(image(), false).rgb(0)), 1, 1, 1),
			List.of(r), new int[] { 1, 1, 1 }, 10, false);
		crops.open();
		assertEquals(24, crops.crop(r).width());
		assertEquals(ColourModel.rgb("red") >> 16 & 0xff, crops.crop(r).get(0, 12, 0));
		assertEquals(ColourModel.rgb("green") >> 8 & 0xff, crops.crop(r).get(23, 12, 1));
	}
}
