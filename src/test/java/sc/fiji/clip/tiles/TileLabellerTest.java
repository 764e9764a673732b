package sc.fiji.clip.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.ARGBType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/** A synthetic mosaic of solid colour squares is labelled right tile by tile and cell by cell, with and without overlap. */
class TileLabellerTest {

	private static ClipModel model;
	private static ZeroShotClassifier classifier;
	/** The mosaic: 3 x 2 squares of 32 pixels. */
	private static final String[][] MOSAIC = { { "red", "green", "blue" }, { "black", "red", "blue" } };

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

	private static ArrayImg<ARGBType, ?> mosaic() {
		ArrayImg<ARGBType, ?> image = ArrayImgs.argbs(96, 64);
		RandomAccess<ARGBType> a = image.randomAccess();
		for (int y = 0; y < 64; y++) {
			for (int x = 0; x < 96; x++) {
				a.setPosition(new long[] { x, y });
				a.get().set(ColourModel.rgb(MOSAIC[y / 32][x / 32]));
			}
		}
		return image;
	}

	private static String labelAt(LabelMap map, RandomAccessibleInterval<UnsignedShortType> labels, long x, long y) {
		RandomAccess<UnsignedShortType> a = labels.randomAccess();
		a.setPosition(new long[] { x, y });
		return map.labels().get(a.get().get() - 1);
	}

	@Test
	void tilesTheSizeOfTheSquaresAreLabelledOneByOne() {
		List<String> rows = new ArrayList<>();
		TileLabeller.Result r = new TileLabeller(classifier, 32, 32, 4, ProgressListener.NONE)
			.label("mosaic", List.of(new ArgbPlane(mosaic(), 1, 1, 1)), (p, tile, x, y, row) -> rows.add(x + "," + y + "=" + row.label()));
		assertEquals(1, r.maps().size());
		LabelMap map = r.maps().get(0);
		assertEquals(6, map.grid().count());
		assertEquals(List.of("0,0=red", "32,0=green", "64,0=blue", "0,32=black", "32,32=red", "64,32=blue"), rows);
		RandomAccessibleInterval<UnsignedShortType> labels = map.labelImage();
		assertEquals(3, labels.dimension(0));
		assertEquals(2, labels.dimension(1));
		for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) assertEquals(MOSAIC[y][x], labelAt(map, labels, x, y));
		RandomAccessibleInterval<UnsignedShortType> pixels = map.atPixels(labels);
		assertEquals(96, pixels.dimension(0));
		assertEquals("blue", labelAt(map, pixels, 95, 63));
		assertEquals("green", labelAt(map, pixels, 40, 10));
		RandomAccessibleInterval<FloatType> p = map.probabilities();
		assertEquals(ColourModel.COLOURS.size(), p.dimension(2));
		RandomAccess<FloatType> pa = p.randomAccess();
		pa.setPosition(new long[] { 1, 0, ColourModel.COLOURS.indexOf("green") });
		assertEquals(map.tileProbability(1, ColourModel.COLOURS.indexOf("green")), pa.get().get(), 1e-6);
	}

	@Test
	void overlappingTilesBlendButEachSquareKeepsItsColour() {
		TileLabeller.Result r = new TileLabeller(classifier, 32, 16, 8, ProgressListener.NONE)
			.label("mosaic", List.of(new ArgbPlane(mosaic(), 1, 1, 1)), null);
		LabelMap map = r.maps().get(0);
		assertEquals(5 * 3, map.grid().count());
		assertEquals(6, map.grid().cellsX());
		RandomAccessibleInterval<UnsignedShortType> labels = map.labelImage();
		// the corner cells of each square are covered by that square's own tile alone
		assertEquals("red", labelAt(map, labels, 0, 0));
		assertEquals("blue", labelAt(map, labels, 5, 0));
		assertEquals("black", labelAt(map, labels, 0, 3));
		assertEquals("blue", labelAt(map, labels, 5, 3));
		RandomAccess<FloatType> p = map.probabilities().randomAccess();
		double sum = 0;
		for (int l = 0; l < ColourModel.COLOURS.size(); l++) {
			p.setPosition(new long[] { 2, 1, l });
			sum += p.get().get();
		}
		assertEquals(1.0, sum, 1e-4, "a blended cell's probabilities still sum to 1");
	}

	@Test
	void aTileLargerThanTheImageOrABadStrideIsRefused() {
		TileLabeller big = new TileLabeller(classifier, 100, 50, 4, ProgressListener.NONE);
		ClipException e = assertThrows(ClipException.class,
			() -> big.label("mosaic", List.of(new ArgbPlane(mosaic(), 1, 1, 1)), null));
		assertEquals("A tile of 100 x 100 pixels is larger than the image (96 x 64). Choose a tile of at most 64 pixels.",
			e.getMessage());
		ClipException stride = assertThrows(ClipException.class, () -> new TileGrid(96, 64, 32, 40));
		assertTrue(stride.getMessage().contains("between 1 and the tile size (32)"), stride.getMessage());
	}

	@Test
	void theLastTileMovesBackToTheEdge() {
		TileGrid g = new TileGrid(100, 40, 32, 32);
		assertEquals(4, g.count() / 2);
		assertEquals(68, g.x(3));
		assertEquals(8, g.y(4));
		assertEquals(4, g.cellsX());
		assertEquals(2, g.cellsY());
	}
}
