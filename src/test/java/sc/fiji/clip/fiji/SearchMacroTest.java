package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import ij.WindowManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.label.ColourModel;

/** Index Images… then Search Images… from a real ImageJ 1 macro headless, every input given (strict mode). */
class SearchMacroTest {

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

	@Test
	void indexThenSearchFillsTheSearchTableBestFirst() {
		Path images = tmp.resolve("images");
		for (int i = 0; i < 2; i++) {
			ColourModel.save(images.resolve("red" + i + ".png"), "red", 16 + i, 16);
			ColourModel.save(images.resolve("blue" + i + ".png"), "blue", 16, 16 + i);
		}
		Path index = tmp.resolve("index");
		MacroRunner.Result r = runner.run("run('Index Images...', 'model=[" + ColourModel.file() + "] folder=[" + images
			+ "] index=[" + index + "] float16=false device=cpu');\n"
			+ "run('Search Images...', 'index=[" + index + "] text=[blue] image=[] minus=[] topk=3 device=cpu results=true');\n"
			+ "print('rows=' + nResults + ' first=' + getResultString('image', 0));", null);
		assertTrue(r.success(), r::toString);
		assertTrue(Files.isRegularFile(index.resolve("index.json")));
		assertTrue(r.log().contains("rows=3 first=" + images.resolve("blue")), r.log());
		ResultsTable t = ResultsTable.getResultsTable();
		assertEquals(3, t.size());
		assertTrue(t.getValue("score", 0) >= t.getValue("score", 1));
		assertEquals(null, WindowManager.getImage("CLIP Search Hits"), "headless: no montage window");
		ij.ImagePlus opened = HitOpener.open(t, 0);
		assertTrue(opened.getTitle().startsWith("blue"), "a double-click opens the hit: " + opened.getTitle());

		MacroRunner.Result similar = runner.run("open('" + images.resolve("red1.png") + "');\n"
			+ "makeRectangle(2, 2, 8, 8);\n"
			+ "run('Find Similar Images...', 'index=[" + index + "] topk=2 device=cpu results=true');\n"
			+ "print('similar=' + nResults + ' ' + getResultString('image', 0) + ' ' + getResultString('image', 1));\n"
			+ "close();", null);
		assertTrue(similar.success(), similar::toString);
		assertTrue(similar.log().matches("(?s).*similar=2 \\S*red\\d\\.png \\S*red\\d\\.png.*"), similar.log());

		Path npz = tmp.resolve("e.npz");
		MacroRunner.Result export = runner.run("run('Export Embeddings...', 'model=[" + ColourModel.file() + "] images=folder "
			+ "folder=[" + images + "] file=[" + npz + "] device=cpu results=true');\n"
			+ "print('embedded=' + nResults + ' ' + getResultString('image', 0));", null);
		assertTrue(export.success(), export::toString);
		assertTrue(export.log().contains("embedded=4 blue0.png"), export.log());
		assertTrue(Files.isRegularFile(npz) && Files.isRegularFile(tmp.resolve("e.planes.csv")));
	}
}
