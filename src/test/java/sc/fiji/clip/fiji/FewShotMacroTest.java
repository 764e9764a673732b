package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.eval.EvaluationFiles;
import sc.fiji.clip.fewshot.ExampleSet;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.SavedAdapter;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.model.ClipModel;

/**
 * Label Images with Examples…, Evaluate Model…, Fine-tune CLIP Model… and Label Images… on an adapted model, from
 * real ImageJ 1 macros headless, every input given as the Recorder writes it (strict mode).
 */
class FewShotMacroTest {

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

	private static MacroRunner.Result run(String macro) {
		MacroRunner.Result r = runner.run(macro, null);
		assertTrue(r.success(), r::toString);
		return r;
	}

	/** Class folders "warm" (red) and "cold" (blue), names the colour model never saw. */
	private static Path examples(Path folder) {
		for (int i = 0; i < 3; i++) {
			ColourModel.save(folder.resolve("warm/r" + i + ".png"), "red", 16 + i, 16);
			ColourModel.save(folder.resolve("cold/b" + i + ".png"), "blue", 16, 16 + i);
		}
		return folder;
	}

	private static Path images(Path folder) {
		ColourModel.save(folder.resolve("a.png"), "red", 20, 20);
		ColourModel.save(folder.resolve("b.png"), "blue", 20, 20);
		return folder;
	}

	@Test
	void labelImagesWithExamplesNamesTheClassesByTheirFolders() {
		Path examples = examples(tmp.resolve("examples1")), images = images(tmp.resolve("images1"));
		MacroRunner.Result r = run("run('Clear Results');\n"
			+ "run('Label Images with Examples...', 'model=[" + ColourModel.file() + "] examples=[" + examples + "] "
			+ "method=cache images=folder folder=[" + images + "] topk=1 device=cpu results=true');\n"
			+ "return '' + nResults + ';' + getResultString('label', 0) + ';' + getResultString('label', 1);");
		assertEquals("2;warm;cold", r.returnValue(), r.toString());
	}

	@Test
	void labelImagesWithNoLabelsUsesTheClassifierAnAdaptedModelKeeps() throws Exception {
		Path adapted = tmp.resolve("adapted.zip");
		try (ClipModel model = ModelFiles.load(ColourModel.file(), Device.cpu());
			ImageScorer cache = FewShotMethod.CACHE.fit(model, ExampleSet.read(model, examples(tmp.resolve("examples2")),
				ProgressListener.NONE), null))
		{
			SavedAdapter.save(model, cache, adapted);
		}
		Path images = images(tmp.resolve("images2"));
		MacroRunner.Result r = run("run('Clear Results');\n"
			+ "run('Label Images...', 'model=[" + adapted + "] images=folder folder=[" + images + "] labels=[] topk=1 "
			+ "slicelabels=false device=cpu results=true');\n"
			+ "return getResultString('label', 0) + ';' + getResultString('label', 1);");
		assertEquals("warm;cold", r.returnValue(), r.toString());
	}

	@Test
	void evaluateModelFillsTheTableAndWritesTheFiles() {
		Path data = tmp.resolve("labelled");
		ColourModel.save(data.resolve("red/a.png"), "red", 16, 16);
		ColourModel.save(data.resolve("blue/b.png"), "blue", 16, 16);
		ColourModel.save(data.resolve("blue/c.png"), "blue", 18, 16);
		Path out = tmp.resolve("evaluation");
		run("run('Clear Results');\n"
			+ "run('Evaluate Model...', 'model=[" + ColourModel.file() + "] data=[" + data + "] labels=[] examples=[] method=cache "
			+ "output=[" + out + "] device=cpu results=true');");
		ResultsTable t = ResultsTable.getResultsTable();
		assertEquals("blue", t.getStringValue("class", 0));
		assertEquals(2, t.getValue("support", 0), 0);
		int accuracy = -1;
		for (int i = 0; i < t.size(); i++) if (t.getStringValue("class", i).equals("accuracy")) accuracy = i;
		assertEquals(1.0, t.getValue("value", accuracy), 1e-9, "the colour model tells red from blue");
		assertTrue(Files.exists(out.resolve(EvaluationFiles.IMAGE)) && Files.exists(out.resolve(EvaluationFiles.CONFUSION)));
	}

	@Test
	void fineTuneFromAMacroWritesAModelOfTheStartingArchitecture() throws Exception {
		Path data = ShapesDataset.write(tmp.resolve("shapes"), 24, 16, 2);
		Path model = tmp.resolve("tuned.zip");
		run("run('Clear Results');\n"
			+ "run('Fine-tune CLIP Model...', 'start=[" + ColourModel.file() + "] folder=[" + data + "] model=[" + model
			+ "] lockimage=true locktext=false epochs=1 device=cpu results=true');");
		try (ClipModel start = ModelFiles.load(ColourModel.file(), Device.cpu());
			ClipModel tuned = ModelFiles.load(model, Device.cpu()))
		{
			assertEquals(start.config().describe(), tuned.config().describe());
			String name = "vision_model.encoder.layers.0.mlp.fc1.weight";
			assertTrue(java.util.Arrays.equals(start.weights().get(name).toFloatArray(), tuned.weights().get(name)
				.toFloatArray()), "the image tower is locked");
		}
	}
}
