package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.testing.FakeLibtorchSite;
import sc.fiji.clip.testing.Fixtures;

/** The Plugins › CLIP commands run from real ImageJ 1 macros headless and leave their tables in Results. */
class FijiCommandsMacroTest {

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

	@Test
	void trainModelFromAMacroFillsResultsAndWritesTheModel() throws Exception {
		Path data = ShapesDataset.write(tmp.resolve("shapes"), 30, 16, 2);
		Path model = tmp.resolve("macro-model.zip");
		Path csv = tmp.resolve("training-log.csv"); // beside the model
		MacroRunner.Result r = run("run('Clear Results');\n"
			+ "run('Train CLIP Model...', 'folder=[" + data + "] model=[" + model + "] preset=tiny epochs=2 device=cpu "
			+ "results=true');\n"
			+ "return '' + nResults + ' ' + getResult('train_loss', nResults - 1);");
		String[] parts = r.returnValue().split(" ");
		assertEquals("2", parts[0], "one row per epoch in Results");
		assertTrue(Double.parseDouble(parts[1]) > 0, "train loss in Results");
		assertTrue(Files.exists(model));
		assertEquals("epoch", Files.readAllLines(csv).get(0).split(",")[0].replace("\"", "").trim().replace(" ", ""));
	}

	@Test
	void modelInfoFromAMacroDescribesAModelFolder() {
		run("run('Clear Results');\n"
			+ "run('Model Info...', 'model=[" + Fixtures.hfClipTiny() + "] device=cpu results=true');");
		ResultsTable results = ResultsTable.getResultsTable();
		boolean found = false;
		String libtorch = null, why = null;
		for (int i = 0; i < results.size(); i++) {
			if (results.getStringValue("property", i).equals("tokenizer")) {
				assertEquals("bpe", results.getStringValue("value", i));
				found = true;
			}
			if (results.getStringValue("property", i).equals("libtorch")) libtorch = results.getStringValue("value", i);
			if (results.getStringValue("property", i).equals("libtorch why")) why = results.getStringValue("value", i);
		}
		assertTrue(found, "a tokenizer row");
		assertTrue(libtorch != null && libtorch.startsWith("2.7.1 cpu from the pytorch-native-cpu jar"), "libtorch row: " + libtorch);
		assertTrue(why != null && why.contains("no CUDA GPU visible"), "why row: " + why);
	}

	@Test
	void labelImagesFromAMacroGivesOneRowPerPlaneInResults() throws Exception {
		Path csv = tmp.resolve("labels.csv");
		MacroRunner.Result r = run("close('*'); run('Clear Results');\n"
			+ "newImage('cells', 'RGB ramp', 48, 40, 3);\n"
			+ "run('Label Images...', 'model=[" + Fixtures.hfClipTiny() + "] images=[current image] folder=[] "
			+ "labels=[a cat,a banana] topk=2 slicelabels=true device=cpu results=true');\n"
			+ "saveAs('Results', '" + csv + "');\n"
			+ "return '' + nResults + ';' + getResultString('label', 0) + ';' + getResult('z', 2) + ';' + getInfo('slice.label');");
		String[] parts = r.returnValue().split(";");
		assertEquals("3", parts[0], "one row per plane");
		assertTrue(parts[1].equals("a cat") || parts[1].equals("a banana"), parts[1]);
		assertEquals("3", parts[2]);
		assertTrue(parts.length > 3 && (parts[3].equals("a cat") || parts[3].equals("a banana")), "slice label written: " + r);
		String header = Files.readAllLines(csv).get(0).replace("\"", "");
		assertTrue(header.contains("image") && header.contains("label2") && header.contains("score2"), header);
	}

	@Test
	void colorFromTextFromAMacroRecordsEveryStep() {
		MacroRunner.Result r = run("run('Clear Results');\n"
			+ "run('Color from Text...', 'model=[" + Fixtures.hfClipTiny() + "] prompts=[the color of a banana] steps=5 "
			+ "colors=1 size=1 device=cpu results=true');\n"
			+ "return '' + nResults + ';' + getResultString('hex', nResults - 1) + ';' + getResult('similarity', 0);");
		String[] parts = r.returnValue().split(";");
		assertTrue(Integer.parseInt(parts[0]) >= 2, "a row per recorded step: " + r);
		assertTrue(parts[1].matches("#[0-9A-Fa-f]{6}"), parts[1]);
		assertTrue(Math.abs(Double.parseDouble(parts[2])) <= 1, parts[2]);
	}

	@Test
	void setUpGpuFromAMacroDownloadsIntoDjlsCacheAndSaysWhatLoadsNext() throws Exception {
		Path cache = tmp.resolve("djl-cache");
		Path folder = cache.resolve("pytorch/2.7.1-cu128-linux-x86_64");
		try (FakeLibtorchSite site = FakeLibtorchSite.standard()) {
			String url = site.start();
			MacroRunner.Result dry = withEngineCache(cache, () -> run("run('Set Up GPU...', 'flavor=cu128 url=[" + url + "] dryrun=true');"));
			assertTrue(dry.log().contains("libtorch_cuda.so.gz") && dry.log().contains("unpacked into " + folder), dry.log());
			assertFalse(Files.exists(cache), "a dry run writes nothing");

			MacroRunner.Result r = withEngineCache(cache, () -> run("run('Set Up GPU...', 'flavor=cu128 url=[" + url + "] dryrun=false');"));
			assertTrue(Files.isRegularFile(folder.resolve("libtorch.so")) && Files.isRegularFile(folder.resolve("0.35.1-libdjl_torch.so")));
			assertTrue(r.log().contains("libtorch 2.7.1 cu128 is set up in " + folder), r.log());
			assertTrue(r.log().contains("loads ") && r.log().contains("the cu128 libtorch set up in " + folder + " is used when one is"),
				"what the next start loads, and why: " + r.log());
		}
	}

	@Test
	void setUpGpuWithoutNetworkIsAClearMacroError() throws Exception {
		Path cache = tmp.resolve("djl-cache-offline");
		String url = FakeLibtorchSite.closedUrl();
		MacroRunner.Result r = withEngineCache(cache, () -> runner.run("run('Set Up GPU...', 'flavor=cu128 url=[" + url + "] dryrun=false');", null));
		assertFalse(r.success());
		assertTrue(r.errorMessage().contains("Could not download libtorch 2.7.1 cu128 from " + url)
			&& r.errorMessage().contains("PYTORCH_LIBRARY_PATH"), r.toString());
		assertFalse(r.toString().contains("\tat "), "no stack trace: " + r);
		assertFalse(Files.exists(cache));
	}

	/** Runs with DJL's engine cache moved to {@code cache} ({@code ENGINE_CACHE_DIR}), restored after. */
	private static <T> T withEngineCache(Path cache, Callable<T> work) throws Exception {
		assertNull(System.getenv("ENGINE_CACHE_DIR"), "the environment would override ENGINE_CACHE_DIR");
		String before = System.getProperty("ENGINE_CACHE_DIR");
		System.setProperty("ENGINE_CACHE_DIR", cache.toString());
		try {
			return work.call();
		} finally {
			if (before == null) System.clearProperty("ENGINE_CACHE_DIR");
			else System.setProperty("ENGINE_CACHE_DIR", before);
		}
	}

	@Test
	void aBadFolderIsAClearMacroErrorWithoutStackTrace() {
		MacroRunner.Result r = runner.run("run('Train CLIP Model...', 'folder=[" + tmp.resolve("missing")
			+ "] model=[" + tmp.resolve("x.zip") + "] preset=tiny epochs=1 device=cpu results=false');", null);
		assertFalse(r.success());
		assertTrue(r.errorMessage().contains("missing"), r.toString());
		assertFalse(r.toString().contains("\tat "), "no stack trace: " + r);
	}
}
