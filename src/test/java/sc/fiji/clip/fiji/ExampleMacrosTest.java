package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.WindowManager;
import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.testing.Fixtures;

/**
 * Every example macro shipped as a Script Editor template ({@code script_templates/CLIP/}, in the plugin jar: the
 * Script Editor lists {@code /script_templates/<menu path>/<label>} resources under Templates, scijava/script-editor
 * a3c9182 {@code TextEditor.addTemplates}, lines 1400-1415) runs headless on small data and leaves what it promises,
 * under the bridge's strict rules: every run(...) line gives every input as key=value, as Fiji's Recorder writes it, so
 * that in Fiji no dialog opens in the middle of the macro.
 */
class ExampleMacrosTest {

	private static StrictMacroSession session;
	private static MacroRunner runner;
	private static final Path MACROS = Paths.get("src/main/resources/script_templates/CLIP");

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

	private static MacroRunner.Result run(String macro, String arg) throws Exception {
		MacroRunner.Result r = runner.runFile(MACROS.resolve(macro), arg);
		assertTrue(r.success(), r::toString);
		return r;
	}

	@Test
	void trainOnFolderWritesAModel() throws Exception {
		Path data = ShapesDataset.write(tmp.resolve("train"), 24, 16, 5);
		Path model = tmp.resolve("trained.zip");
		MacroRunner.Result r = run("CLIP_Train_On_Folder.ijm", "folder=" + data + " model=" + model
			+ " epochs=2 preset=tiny");
		assertTrue(Files.exists(model));
		assertTrue(r.log().contains("Model written to " + model), r.log());
	}

	@Test
	void labelStackAndColorSlicesMakesALabelledStack() throws Exception {
		runner.run("close('*'); newImage('cells', '8-bit ramp', 40, 40, 4);", null);
		MacroRunner.Result r = run("CLIP_Label_Stack_And_Color_Slices.ijm", "model=" + Fixtures.hfClipTiny()
			+ " labels=a_cat,a_banana");
		assertEquals(4, ResultsTable.getResultsTable().size());
		assertEquals("cells by label", WindowManager.getCurrentImage().getTitle());
		assertEquals(4, WindowManager.getCurrentImage().getStackSize());
		assertTrue(r.log().contains("4 planes labelled"), r.log());
	}

	@Test
	void batchLabelFolderSavesACsv() throws Exception {
		Path images = ShapesDataset.write(tmp.resolve("folder"), 5, 32, 6).resolve("images");
		Path csv = tmp.resolve("labels.csv");
		run("CLIP_Batch_Label_Folder.ijm", "model=" + Fixtures.hfClipTiny() + " folder=" + images + " labels=red,blue out=" + csv);
		assertEquals(6, Files.readAllLines(csv).size(), "header and one row per image");
	}

	@Test
	void searchFolderIndexesAndPrintsTheHitsBestFirst() throws Exception {
		Path images = ShapesDataset.write(tmp.resolve("search"), 8, 32, 7).resolve("images");
		MacroRunner.Result r = run("CLIP_Search_Folder.ijm", "model=" + Fixtures.hfClipTiny() + " folder=" + images
			+ " text=a_red_circle hits=3");
		List<String> hits = r.log().lines().filter(l -> l.matches("[123]  [-0-9.]+  .*\\.png")).collect(Collectors.toList());
		assertEquals(3, hits.size(), r.log());
		assertTrue(Files.isRegularFile(images.resolve(".clip-index/index.json")), "the index is kept for the next run");
	}

	@Test
	void paletteFromPromptPrintsTheColours() throws Exception {
		MacroRunner.Result r = run("CLIP_Palette_From_Prompt.ijm", "model=" + Fixtures.hfClipTiny() + " colors=2");
		long lines = r.log().lines().filter(l -> l.startsWith("the color of a banana: #") && l.contains("  similarity ")).count();
		assertEquals(2, lines, r.log());
	}

	@Test
	void everyShippedMacroIsRunHere() throws Exception {
		Set<String> shipped;
		try (Stream<Path> files = Files.list(MACROS)) {
			shipped = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".ijm")).collect(Collectors.toSet());
		}
		assertEquals(Set.of("CLIP_Train_On_Folder.ijm", "CLIP_Label_Stack_And_Color_Slices.ijm",
			"CLIP_Batch_Label_Folder.ijm", "CLIP_Palette_From_Prompt.ijm", "CLIP_Search_Folder.ijm"), shipped, "add a test for a new macro");
	}

	@Test
	void strictModeCatchesALineThatLeavesAnInputOut() throws Exception {
		MacroRunner.Result r = runner.run("run('Model Info...', 'model=[" + Fixtures.hfClipTiny() + "]');", null);
		assertTrue(!r.success() && r.errorMessage().contains("the options leave out device=... results=..."), r::toString);
	}
}
