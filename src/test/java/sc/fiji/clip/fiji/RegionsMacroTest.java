package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.label.ColourModel;

/** Label ROIs… (ROIs of the overlay, renamed by label) and Label Map… (maps saved) from real macros headless, strict mode. */
class RegionsMacroTest {

	private static StrictMacroSession session;
	private static MacroRunner runner;

	@TempDir
	static Path tmp;

	@BeforeAll
	static void boot() {
		session = StrictMacroSession.start();
		runner = session.runner();
	}

	@AfterAll
	static void dispose() {
		session.close();
	}

	/** A macro that makes a 64 x 32 RGB image, red on the left and blue on the right. */
	private static final String IMAGE = "newImage('halves', 'RGB black', 64, 32, 1);\n"
		+ "setColor(255, 0, 0); fillRect(0, 0, 32, 32);\n"
		+ "setColor(0, 0, 255); fillRect(32, 0, 32, 32);\n";

	private static String labels() {
		return String.join(",", ColourModel.COLOURS);
	}

	@Test
	void labelRoisLabelsTheOverlaysRoisAndNamesThem() {
		MacroRunner.Result r = runner.run(IMAGE
			+ "makeRectangle(2, 2, 28, 28); Overlay.addSelection;\n"
			+ "makeOval(36, 4, 24, 24); Overlay.addSelection; run('Select None');\n"
			+ "run('Label ROIs...', 'model=[" + ColourModel.file() + "] labels=[" + labels() + "] rois=[] planes=[the current plane] padding=0 "
			+ "mask=false topk=1 rename=true device=cpu results=true');\n"
			+ "print('rows=' + nResults + ' ' + getResultString('label', 0) + ' ' + getResultString('label', 1));", null);
		assertTrue(r.success(), r::toString);
		assertTrue(r.log().contains("rows=2 red blue"), r.log());
		ResultsTable t = ResultsTable.getResultsTable();
		assertTrue(t.getValue("p:red", 0) > t.getValue("p:blue", 0), "every label's probability is in the table");
		ImagePlus imp = IJ.getImage();
		assertEquals("red", imp.getOverlay().get(0).getName(), "renamed by its label");
		assertEquals("blue", imp.getOverlay().get(1).getName());
		imp.close();
	}

	@Test
	void labelMapSavesTheMapsHeadless() {
		Path out = tmp.resolve("maps");
		MacroRunner.Result r = runner.run(IMAGE
			+ "run('Label Map...', 'model=[" + ColourModel.file() + "] labels=[" + labels() + "] tile=32 stride=32 "
			+ "channel=0 pixels=false output=[" + out + "] device=cpu results=true');\n"
			+ "print('tiles=' + nResults + ' ' + getResultString('label', 0) + ' ' + getResultString('label', 1));", null);
		assertTrue(r.success(), r::toString);
		assertTrue(r.log().contains("tiles=2 red blue"), r.log());
		ImagePlus labels = IJ.openImage(out.resolve("halves-labels.tif").toString());
		assertEquals(2, labels.getWidth());
		assertEquals(ColourModel.COLOURS.indexOf("red") + 1, labels.getProcessor().get(0, 0));
		assertEquals(ColourModel.COLOURS.indexOf("blue") + 1, labels.getProcessor().get(1, 0));
		assertEquals(1, ResultsTable.getResultsTable().getValue("tile", 0));
		IJ.getImage().close();
		MacroRunner.Result wrong = runner.run(IMAGE + "run('Label Map...', 'model=[" + ColourModel.file() + "] labels=["
			+ labels() + "] tile=32 stride=32 channel=3 pixels=false output=[] device=cpu results=false');", null);
		assertTrue(!wrong.success() && wrong.toString().contains("has 1 channel(s), not 3"), wrong::toString);
		ImagePlus left = ij.WindowManager.getCurrentImage(); // IJ.getImage() with none open would exit the JVM headless
		if (left != null) left.close();
	}
}
