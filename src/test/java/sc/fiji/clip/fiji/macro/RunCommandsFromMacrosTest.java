package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.prefs.PrefService;

import ij.IJ;
import ij.Macro;
import ij.Menus;
import ij.WindowManager;
import ij.measure.ResultsTable;

/**
 * Runs real ImageJ 1 macros headless against test-scope SciJava commands through {@link MacroRunner}. ImageJ 1 is
 * booted by the runner before any test touches an {@code ij.*} class.
 */
class RunCommandsFromMacrosTest {

	private static Context context;
	private static MacroRunner runner;

	@TempDir
	Path tmp;

	@BeforeAll
	static void boot() {
		HeadlessImageJ.boot(); // before anything, the context included, can load ij.* classes
		assertTrue(HeadlessImageJ.isLogCaptured());
		context = new Context(CommandService.class);
		runner = new MacroRunner(context);
	}

	@AfterAll
	static void dispose() {
		MacroCommandBridge.uninstall(context);
		context.dispose();
	}

	@BeforeEach
	void closeImagesAndClearResults() {
		context.service(PrefService.class).clear(EchoValuesCommand.class); // no value remembered from another test
		MacroRunner.Result r = runner.run("close('*'); run('Clear Results');", null);
		assertTrue(r.success(), r::toString);
		assertEquals(0, ResultsTable.getResultsTable().size());
		assertEquals(0, WindowManager.getImageCount());
	}

	@Test
	void registersCommandsUnderTheMenuRootOnly() {
		assertEquals(MacroCommandBridge.pluginEntry(EchoValuesCommand.class.getName()),
				Menus.getCommands().get("Echo Values..."));
		assertEquals(MacroCommandBridge.pluginEntry(FailLoudlyCommand.class.getName()),
				Menus.getCommands().get("Fail Loudly"));
		assertFalse(Menus.getCommands().containsKey("Outside Root"));
	}

	@Test
	void leavesCommandsImageJAlreadyHasAlone() {
		String invert = (String) Menus.getCommands().get("Invert");
		assertTrue(invert.startsWith("ij.plugin.filter.Filters"), invert);
		List<String> again = MacroCommandBridge.install(context);
		assertFalse(again.contains("Invert"));
		assertTrue(again.contains("Echo Values..."));

		MacroRunner.Result r = runner.run("newImage('ramp', '8-bit ramp', 8, 1, 1);"
				+ "before = getPixel(0, 0); run('Invert'); return '' + before + ',' + getPixel(0, 0);", null);
		assertTrue(r.success(), r::toString);
		assertEquals("0,255", r.returnValue());
	}

	@Test
	void macroPassesTypedOptionsToTheCommand() {
		MacroRunner.Result r = runner.run(String.join("\n",
				"newImage('blobs', '8-bit ramp', 64, 32, 1);",
				"run('Echo Values...', 'text=[hello world] count=3 scale=0.25 flag=true file=[/tmp/my file.txt]"
						+ " image=blobs method=bilinear mode=careful');",
				"if (nResults != 1) exit('expected one row, got ' + nResults);",
				"return getResultString('text', 0) + '|' + getResult('count', 0) + '|' + getResult('scale', 0)"
						+ " + '|' + getResult('flag', 0) + '|' + getResultString('file', 0)"
						+ " + '|' + getResultString('image', 0) + '|' + getResultString('method', 0)"
						+ " + '|' + getResultString('mode', 0);"),
				null);
		assertTrue(r.success(), r::toString);
		assertEquals("hello world|3|0.25|1|/tmp/my file.txt|blobs|bilinear|CAREFUL", r.returnValue());

		ResultsTable rt = ResultsTable.getResultsTable();
		assertEquals(1, rt.size());
		assertEquals("hello world", rt.getStringValue("text", 0));
		assertEquals(3, rt.getValue("count", 0));
		assertEquals(1, rt.getValue("flag", 0));
		assertTrue(r.log().contains("echoed hello world"), r.log());
	}

	/**
	 * As in Fiji headless: imagej-legacy's {@code MacroPreprocessor} (imagej/imagej-legacy 16fcda9,
	 * {@code src/main/java/net/imagej/legacy/plugin/MacroPreprocessor.java} lines 81-92) resolves only the inputs the
	 * options give as {@code key=value}; scijava-common's {@code LoadInputsPreprocessor} (041acb4, lines 49-59) then
	 * loads the remembered value of every unresolved one, and with no display no harvester asks. The log names them.
	 */
	@Test
	void optionsLeftOutTakeTheirRememberedValueOrDefaultAndTheLogSaysSo() {
		MacroRunner.Result r = runner.run(String.join("\n",
				"newImage('first', '8-bit black', 8, 8, 1);",
				"newImage('second', '8-bit black', 8, 8, 1);",
				"run('Echo Values...', 'text=x count=1');",
				"return getResultString('image', 0) + '|' + getResult('scale', 0) + '|' + getResult('flag', 0)"
						+ " + '|' + getResultString('method', 0) + '|' + getResultString('mode', 0)"
						+ " + '|' + getResultString('file', 0);"),
				null);
		assertTrue(r.success(), r::toString);
		assertEquals("second|1.5|0|nearest|FAST|", r.returnValue());
		assertTrue(r.log().contains("Echo Values...: not given in the options, so remembered or default values were"
				+ " used: scale=1.5 flag=false file=[] method=nearest mode=FAST"), r.log());

		MacroRunner.Result remembered = runner.run("run('Echo Values...', 'text=x count=1 scale=0.25 flag=true');"
				+ "run('Echo Values...', 'text=y count=2');"
				+ "return '' + getResult('scale', 1) + '|' + getResult('flag', 1);", null);
		assertTrue(remembered.success(), remembered::toString);
		assertEquals("0.25|1", remembered.returnValue(), "the values of the last run, as Fiji remembers them");
		assertTrue(remembered.log().contains("used: scale=0.25 flag=true"), remembered.log());
	}

	/** A bare keyword is no value for imagej-legacy ({@code ij.Macro.getValue} finds only {@code key=}). */
	@Test
	void aBareCheckboxKeywordFailsAndNamesTheFix() {
		MacroRunner.Result r = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x count=1 flag');", null);
		assertFalse(r.success());
		assertEquals("Echo Values...: 'flag' needs a value: write flag=true or flag=false (Fiji reads options only as"
				+ " key=value and would ignore a bare 'flag')", r.errorMessage());
	}

	@Test
	void strictModeFailsOnAnyInputTheOptionsLeaveOut() {
		MacroCommandBridge.setStrict(true);
		try {
			MacroRunner.Result r = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
					+ "run('Echo Values...', 'text=x count=1 image=b');", null);
			assertFalse(r.success());
			assertEquals("Echo Values...: the options leave out scale=... flag=... file=... method=... mode=...: in Fiji"
					+ " a dialog would open for them in the middle of the macro; give every input as key=value (as the"
					+ " Recorder writes it)", r.errorMessage());
			MacroRunner.Result all = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
					+ "run('Echo Values...', 'text=x count=1 scale=2 flag=false file=[]"
					+ " image=b method=nearest mode=FAST');", null);
			assertTrue(all.success(), all::toString);
		} finally {
			MacroCommandBridge.setStrict(false);
		}
	}

	/**
	 * With a display, ImageJ2's input harvester opens a dialog for every input left unresolved
	 * (scijava-common 041acb4, {@code AbstractInputHarvester.addInput} lines 100-105 skip resolved inputs only): the
	 * bridge asks its dialog for exactly the inputs the options leave out.
	 */
	@Test
	void withADisplayTheDialogAsksForExactlyTheInputsLeftOut() {
		List<String> asked = new java.util.ArrayList<>();
		SciJavaPlugIn.dialogForTests = (title, fields, error) -> {
			for (DialogField f : fields) asked.add(f.key());
			return java.util.Map.of("scale", "0.5", "mode", "CAREFUL");
		};
		try {
			MacroRunner.Result r = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
					+ "run('Echo Values...', 'text=x count=1 flag=true file=[] image=b method=bilinear');"
					+ "return '' + getResult('scale', 0) + '|' + getResultString('mode', 0);", null);
			assertTrue(r.success(), r::toString);
			assertEquals(List.of("scale", "mode"), asked);
			assertEquals("0.5|CAREFUL", r.returnValue());
		} finally {
			SciJavaPlugIn.dialogForTests = null;
		}
	}

	@Test
	void badNumberFailsTheMacroWithAClearMessage() {
		Output out = Output.capture(() -> runner.run(String.join("\n",
				"newImage('blobs', '8-bit ramp', 64, 32, 1);",
				"run('Echo Values...', 'text=hi count=abc');",
				"print('after the error');"), null));
		MacroRunner.Result r = out.result;
		assertFalse(r.success());
		assertEquals("Echo Values...: 'count' must be a whole number, not 'abc'", r.errorMessage());
		assertEquals(2, r.errorLine());
		assertFalse(r.log().contains("after the error"), r.log());
		assertEquals(0, ResultsTable.getResultsTable().size());
		out.assertNoStackTrace();
	}

	@Test
	void missingRequiredOptionIsNamed() {
		MacroRunner.Result r = runner.run("newImage('blobs', '8-bit ramp', 64, 32, 1);"
				+ "run('Echo Values...', 'count=3');", null);
		assertFalse(r.success());
		assertEquals("Echo Values...: the required option 'text' is missing: add text=... to the run() options",
				r.errorMessage());
	}

	@Test
	void imageInputNeedsAnOpenImageOrAKnownTitle() {
		MacroRunner.Result none = runner.run("run('Echo Values...', 'text=x count=1');", null);
		assertFalse(none.success());
		assertTrue(none.errorMessage().contains("'image' needs an image, but none is open"), none::toString);

		MacroRunner.Result unknown = runner.run("newImage('blobs', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x count=1 image=[no such image]');", null);
		assertFalse(unknown.success());
		assertEquals("Echo Values...: 'image': there is no open image titled 'no such image'",
				unknown.errorMessage());
	}

	@Test
	void choicesAndEnumsAreChecked() {
		MacroRunner.Result choice = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x count=1 method=cubic');", null);
		assertEquals("Echo Values...: 'method' must be one of 'nearest' or 'bilinear', not 'cubic'",
				choice.errorMessage());
		MacroRunner.Result mode = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x count=1 mode=sloppy');", null);
		assertEquals("Echo Values...: 'mode' must be one of 'FAST' or 'CAREFUL', not 'sloppy'", mode.errorMessage());
		MacroRunner.Result flag = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x count=1 flag=maybe');", null);
		assertTrue(flag.errorMessage().startsWith("Echo Values...: 'flag' is a checkbox"), flag::toString);
	}

	@Test
	void commandExceptionGivesAClearMessageNotAStackTrace() {
		Output out = Output.capture(() -> runner.run("run('Fail Loudly', 'model=/m/x.zip');\nprint('not reached');",
				null));
		MacroRunner.Result r = out.result;
		assertFalse(r.success());
		assertEquals("Fail Loudly failed: the model file /m/x.zip is corrupt"
				+ " (cause: IOException: unexpected end of ZIP archive)", r.errorMessage());
		assertEquals(1, r.errorLine());
		assertFalse(r.log().contains("not reached"));
		out.assertNoStackTrace();
		assertTrue(out.err.contains("Fail Loudly failed: the model file"), out.err);
	}

	@Test
	void commandCancelingItselfFailsTheMacroWithItsReason() {
		MacroRunner.Result r = runner.run("run('Give Up');", null);
		assertFalse(r.success());
		assertEquals("Give Up was canceled: no labels were given", r.errorMessage());
	}

	@Test
	void imageOutputBecomesTheCurrentImage() {
		MacroRunner.Result r = runner.run("run('Make Image', 'title=[made here] size=5');"
				+ "return getTitle() + ' ' + getWidth() + ' ' + nImages;", null);
		assertTrue(r.success(), r::toString);
		assertEquals("made here 5 1", r.returnValue());
	}

	@Test
	void unknownOptionsAreWarnedAbout() {
		MacroRunner.Result r = runner.run("newImage('b', '8-bit ramp', 8, 8, 1);"
				+ "run('Echo Values...', 'text=x cout=3');", null);
		assertTrue(r.success(), r::toString);
		assertTrue(r.log().contains("Echo Values... ignored unknown option cout"), r.log());
	}

	@Test
	void saveAsResultsWritesWhereTheMacroSays() throws IOException {
		Path csv = tmp.resolve("sub dir").resolve("echo.csv");
		Files.createDirectories(csv.getParent());
		MacroRunner.Result r = runner.run("newImage('blobs', '8-bit ramp', 16, 16, 1);"
				+ "run('Echo Values...', 'text=[hello world] count=3');"
				+ "saveAs('Results', getArgument());", csv.toString());
		assertTrue(r.success(), r::toString);
		List<String> lines = Files.readAllLines(csv);
		assertEquals(2, lines.size(), lines::toString);
		assertTrue(lines.get(0).contains("text") && lines.get(0).contains("count"), lines.get(0));
		assertTrue(lines.get(1).contains("hello world"), lines.get(1));
	}

	@Test
	void relativeSavePathsAreRelativeToTheWorkingDirectory() throws IOException {
		Path csv = Path.of(System.getProperty("user.dir"), "target", "macro-relative-results.csv");
		Files.deleteIfExists(csv);
		MacroRunner.Result r = runner.run("newImage('blobs', '8-bit ramp', 16, 16, 1);"
				+ "run('Echo Values...', 'text=relative count=1');"
				+ "saveAs('Results', 'target/macro-relative-results.csv');", null);
		assertTrue(r.success(), r::toString);
		assertTrue(Files.readString(csv).contains("relative"));
		Files.delete(csv);
	}

	@Test
	void runsMacroFilesWithAnArgument() throws IOException {
		Path file = tmp.resolve("echo.ijm");
		Files.write(file, String.join("\n",
				"// a macro file as ./fiji-clip macro FILE.ijm ARG runs it",
				"newImage('blobs', '8-bit ramp', 16, 16, 1);",
				"run('Echo Values...', 'text=[' + getArgument() + '] count=2');",
				"print('rows: ' + nResults);",
				"return getResultString('text', 0);").getBytes(StandardCharsets.UTF_8));
		MacroRunner.Result r = runner.runFile(file, "größer als");
		assertTrue(r.success(), r::toString);
		assertEquals("größer als", r.returnValue());
		assertTrue(r.log().contains("rows: 1\n"), r.log());
	}

	@Test
	void macroSyntaxErrorsFailWithTheirLine() {
		MacroRunner.Result r = runner.run("print('one');\nx = 1 +;\nprint('three');", null);
		assertFalse(r.success());
		assertEquals(2, r.errorLine());
		assertTrue(r.log().contains("one"));
		assertFalse(r.log().contains("three"));
	}

	@Test
	void recordedOptionsReproduceTheRun() throws Exception {
		MacroRunner.Result setUp = runner.run("newImage('blobs', '8-bit ramp', 8, 8, 1);", null);
		assertTrue(setUp.success(), setUp::toString);
		MacroCommandBridge.Registration registration = MacroCommandBridge.registration(EchoValuesCommand.class
				.getName());
		String options = MacroOptions.format(CommandInvocation.recordedOptions(new CommandInvocation(registration)
				.run("text=[hello world] count=3 flag=true mode=careful")));
		assertEquals("text=[hello world] count=3 scale=1.5 flag=true image=blobs method=nearest mode=CAREFUL",
				options);

		MacroRunner.Result again = runner.run("run('Echo Values...', '" + options + "');"
				+ "return getResultString('text', 1) + getResult('flag', 1) + getResultString('mode', 1);", null);
		assertTrue(again.success(), again::toString);
		assertEquals("hello world1CAREFUL", again.returnValue());

		String unticked = MacroOptions.format(CommandInvocation.recordedOptions(new CommandInvocation(registration)
				.run("text=x count=1 flag=false")));
		assertTrue(unticked.contains(" flag=false "), unticked);
	}

	@Test
	void successHasNoError() {
		MacroRunner.Result r = runner.run("print('fine');", "");
		assertTrue(r.success());
		assertNull(r.errorMessage());
		assertNull(r.describeError());
		assertEquals("fine\n", r.log());
	}

	@Test
	void ijRunFromJavaRunsTheCommandAndAbortsOnErrors() {
		MacroRunner.Result setUp = runner.run("newImage('blobs', '8-bit ramp', 8, 8, 1);", null);
		assertTrue(setUp.success(), setUp::toString);
		IJ.run("Echo Values...", "text=[from java] count=7");
		assertEquals("from java", ResultsTable.getResultsTable().getStringValue("text", 0));

		RuntimeException e = assertThrows(RuntimeException.class, () -> IJ.run("Echo Values...", "text=x count=1.5"));
		assertEquals(Macro.MACRO_CANCELED, e.getMessage());
		assertEquals(1, ResultsTable.getResultsTable().size());
	}

	@Test
	void uninstalledCommandsAreUnknownToMacros() {
		try {
			MacroCommandBridge.uninstall(context);
			assertFalse(Menus.getCommands().containsKey("Echo Values..."));
			MacroRunner.Result r = runner.run("run('Echo Values...', 'text=x count=1');", null);
			assertFalse(r.success());
			assertEquals("Unrecognized command: \"Echo Values...\"", r.errorMessage());
		} finally {
			MacroCommandBridge.install(context);
		}
		assertTrue(Menus.getCommands().containsKey("Echo Values..."));
	}

	/** What a run wrote to System.out and System.err. */
	private static final class Output {

		MacroRunner.Result result;
		String out;
		String err;

		static Output capture(Supplier<MacroRunner.Result> run) {
			PrintStream oldOut = System.out;
			PrintStream oldErr = System.err;
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ByteArrayOutputStream err = new ByteArrayOutputStream();
			Output o = new Output();
			try {
				System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
				System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
				o.result = run.get();
			} finally {
				System.setOut(oldOut);
				System.setErr(oldErr);
			}
			o.out = out.toString(StandardCharsets.UTF_8);
			o.err = err.toString(StandardCharsets.UTF_8);
			oldOut.print(o.out);
			oldErr.print(o.err);
			return o;
		}

		void assertNoStackTrace() {
			for (String text : List.of(result.errorMessage(), result.log(), out, err)) {
				assertFalse(text.contains("\tat ") || text.contains("Exception in thread"), text);
			}
		}
	}
}
