package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandService;

import ij.measure.ResultsTable;
import sc.fiji.clip.fiji.LabelImagesCommand;

/**
 * A command run without macro options asks for its inputs (here a stand-in for ImageJ 1's dialog, which needs a
 * display) and runs with them exactly as with macro options; Cancel runs nothing.
 */
class CommandDialogTest {

	private static Context context;
	private static MacroRunner runner;

	@BeforeAll
	static void boot() {
		HeadlessImageJ.boot();
		context = new Context(CommandService.class);
		runner = new MacroRunner(context);
	}

	@AfterAll
	static void dispose() {
		MacroCommandBridge.uninstall(context);
		context.dispose();
	}

	@BeforeEach
	void blobsAndNoResults() {
		run("close('*'); run('Clear Results'); newImage('blobs', '8-bit ramp', 8, 8, 1);");
	}

	@AfterEach
	void realDialogAgain() {
		SciJavaPlugIn.dialogForTests = null;
	}

	private static MacroRunner.Result run(String macro) {
		MacroRunner.Result r = runner.run(macro, null);
		assertTrue(r.success(), r::toString);
		return r;
	}

	/** Answers with the fields' values and {@code changes}, and remembers what it was asked. */
	private static final class StandIn implements InputsDialog {

		final List<Map<String, String>> answers = new ArrayList<>();
		final List<List<DialogField>> shown = new ArrayList<>();
		final List<String> errors = new ArrayList<>();

		StandIn answer(Map<String, String> changes) {
			answers.add(changes);
			return this;
		}

		@Override
		public Map<String, String> ask(String title, List<DialogField> fields, String error) {
			shown.add(fields);
			errors.add(error);
			Map<String, String> changes = answers.get(shown.size() - 1);
			if (changes == null) return null;
			Map<String, String> entered = new LinkedHashMap<>();
			for (DialogField f : fields) {
				if (f.kind() != DialogField.Kind.MESSAGE) entered.put(f.key(), f.value());
			}
			entered.putAll(changes);
			return entered;
		}
	}

	@Test
	void cancelRunsNothing() {
		StandIn dialog = new StandIn().answer(null);
		SciJavaPlugIn.dialogForTests = dialog;
		MacroRunner.Result r = run("run('Echo Values...');");
		assertEquals(1, dialog.shown.size(), "the dialog was shown");
		assertEquals(0, ResultsTable.getResultsTable().size(), "the command did not run");
		assertFalse(r.log().contains("echoed"), r.log());
	}

	@Test
	void valuesFromTheDialogRunTheCommand() {
		SciJavaPlugIn.dialogForTests = new StandIn().answer(Map.of("text", "hello world", "count", "3", "flag", "true",
				"mode", "CAREFUL", "method", "bilinear"));
		run("run('Echo Values...');");
		ResultsTable rt = ResultsTable.getResultsTable();
		assertEquals(1, rt.size());
		assertEquals("hello world", rt.getStringValue("text", 0));
		assertEquals(3, rt.getValue("count", 0));
		assertEquals(1.5, rt.getValue("scale", 0), "the default, as shown");
		assertEquals(1, rt.getValue("flag", 0));
		assertEquals("blobs", rt.getStringValue("image", 0));
		assertEquals("bilinear", rt.getStringValue("method", 0));
		assertEquals("CAREFUL", rt.getStringValue("mode", 0));
	}

	@Test
	void theDialogsOptionsAreWhatTheRecorderWritesForTheRun() throws Exception {
		MacroCommandBridge.Registration echo = MacroCommandBridge.registration(EchoValuesCommand.class.getName());
		String options = CommandDialog.ask(echo, new StandIn().answer(Map.of("text", "[x] y", "count", "12",
				"flag", "false")));
		assertEquals("text=[[x] y] count=12 scale=1.5 flag=false image=blobs method=nearest mode=FAST", options);
		String recorded = MacroOptions.format(CommandInvocation.recordedOptions(new CommandInvocation(echo).run(options)));
		assertEquals(options, recorded);
	}

	@Test
	void invalidValuesAreAskedForAgainWithTheReasonAndWhatWasEntered() throws Exception {
		StandIn dialog = new StandIn().answer(Map.of("text", "t", "count", "two")).answer(Map.of("count", "2"));
		String options = CommandDialog.ask(MacroCommandBridge.registration(EchoValuesCommand.class.getName()), dialog);
		assertEquals(2, dialog.shown.size());
		assertNull(dialog.errors.get(0));
		assertEquals("count: must be a whole number, not 'two'.", dialog.errors.get(1));
		Map<String, String> second = new LinkedHashMap<>();
		for (DialogField f : dialog.shown.get(1)) second.put(f.key(), f.value());
		assertEquals("two", second.get("count"), "the entry kept for correcting");
		assertEquals("t", second.get("text"));
		assertEquals("2", MacroOptions.parse(options).get("count"));
	}

	@Test
	void persistedValuesAreOfferedTheNextTime() throws Exception {
		MacroCommandBridge.Registration label = MacroCommandBridge.registration(LabelImagesCommand.class.getName());
		StandIn dialog = new StandIn().answer(Map.of("model", "/models/remembered.zip", "labels", "a,b", "topk", "2"))
				.answer(null);
		assertTrue(CommandDialog.ask(label, dialog).contains("model=/models/remembered.zip"));
		assertNull(CommandDialog.ask(label, dialog), "cancelled");
		Map<String, String> next = new LinkedHashMap<>();
		for (DialogField f : dialog.shown.get(1)) next.put(f.key(), f.value());
		assertEquals("/models/remembered.zip", next.get("model"));
		assertEquals("2", next.get("topk"));
		assertEquals("", next.get("labels"), "labels are not persisted");
	}

	@Test
	void aRequiredImageWithNoneOpenFailsBeforeAsking() {
		run("close('*');");
		StandIn dialog = new StandIn().answer(Map.of());
		SciJavaPlugIn.dialogForTests = dialog;
		MacroRunner.Result r = runner.run("run('Echo Values...');", null);
		assertFalse(r.success());
		assertEquals("Echo Values...: 'image' needs an image, but none is open: open one first", r.errorMessage());
		assertTrue(dialog.shown.isEmpty());
	}
}
