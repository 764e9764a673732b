package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.module.Module;

import sc.fiji.clip.fiji.ColorFromTextCommand;
import sc.fiji.clip.fiji.LabelImagesCommand;
import sc.fiji.clip.fiji.ModelInfoCommand;
import sc.fiji.clip.fiji.TrainModelCommand;
import sc.fiji.clip.fiji.macro.DialogField.Kind;

/** The dialog fields of the CLIP commands' inputs, and the options string made from what is entered in them. */
class DialogFieldsTest {

	private static Context context;

	@BeforeAll
	static void boot() {
		HeadlessImageJ.boot();
		context = new Context(CommandService.class);
	}

	@AfterAll
	static void dispose() {
		context.dispose();
	}

	private static List<DialogField> fields(Class<? extends Command> command, List<String> images, String current)
			throws Exception {
		Module module = context.service(CommandService.class).getCommand(command).createModule();
		context.inject(module);
		return DialogFields.of(module, images, current);
	}

	private static List<DialogField> fields(Class<? extends Command> command) throws Exception {
		return fields(command, List.of(), null);
	}

	private static Map<String, DialogField> byKey(List<DialogField> fields) {
		Map<String, DialogField> map = new LinkedHashMap<>();
		for (DialogField f : fields) map.put(f.kind() == Kind.MESSAGE ? "(message)" : f.key(), f);
		return map;
	}

	private static void assertField(DialogField f, Kind kind, String label, String value) {
		assertEquals(kind, f.kind(), f::toString);
		assertEquals(label, f.label(), f::toString);
		assertEquals(value, f.value(), f::toString);
	}

	@Test
	void labelImagesHasAModelFileAnImagesChoiceAWholeTopKAndCheckboxes() throws Exception {
		Map<String, DialogField> f = byKey(fields(LabelImagesCommand.class));
		assertEquals(List.of("model", "images", "folder", "labels", "topk", "slicelabels", "device", "results"),
				List.copyOf(f.keySet()));
		assertField(f.get("model"), Kind.FILE, "Model (.zip or folder)", "");
		assertTrue(f.get("model").required());
		assertField(f.get("images"), Kind.CHOICE, "Images", "current image");
		assertEquals(List.of("current image", "all open images", "folder"), f.get("images").choices());
		assertField(f.get("folder"), Kind.DIRECTORY, "Folder (for 'folder')", "");
		assertFalse(f.get("folder").required());
		assertField(f.get("labels"), Kind.STRING, "Labels (comma-separated, or a .txt file with one per line)", "");
		assertTrue(f.get("labels").required());
		assertField(f.get("topk"), Kind.NUMBER, "Top labels per plane", "1");
		assertTrue(f.get("topk").integer());
		assertEquals(0, f.get("topk").digits());
		assertEquals(1.0, f.get("topk").min());
		assertNull(f.get("topk").max());
		assertField(f.get("slicelabels"), Kind.CHECKBOX, "Write top label into slice labels", "false");
		assertEquals(List.of("auto", "cpu", "gpu"), f.get("device").choices());
	}

	@Test
	void trainModelShowsItsHelpLineAFolderFieldThePresetsAndWholeEpochs() throws Exception {
		List<DialogField> list = fields(TrainModelCommand.class);
		assertField(list.get(0), Kind.MESSAGE, "help", "Folder: captions.csv, sidecar .txt files or class subfolders.");
		Map<String, DialogField> f = byKey(list);
		assertEquals(List.of("(message)", "folder", "model", "preset", "epochs", "device", "results"),
				List.copyOf(f.keySet()));
		assertField(f.get("folder"), Kind.DIRECTORY, "Image folder", "");
		assertField(f.get("model"), Kind.FILE, "Model file (.zip)", "");
		assertField(f.get("preset"), Kind.CHOICE, "Model size", "small");
		assertEquals(List.of("small", "medium", "demo", "seed", "tiny"), f.get("preset").choices());
		assertField(f.get("epochs"), Kind.NUMBER, "Epochs (0: automatic)", "0");
		assertTrue(f.get("epochs").integer());
		assertEquals(0.0, f.get("epochs").min());
		assertFalse(f.get("model").persisted(), "persist = false");
		assertTrue(f.get("folder").persisted());
	}

	@Test
	void colorFromTextStartsWithItsPrompt() throws Exception {
		Map<String, DialogField> f = byKey(fields(ColorFromTextCommand.class));
		assertEquals(List.of("model", "prompts", "steps", "colors", "size", "device", "results"),
				List.copyOf(f.keySet()));
		assertField(f.get("prompts"), Kind.STRING, "Prompts ('|'-separated)", "the color of a banana");
		assertTrue(f.get("prompts").required());
		assertField(f.get("steps"), Kind.NUMBER, "Steps", "100");
		assertEquals(1.0, f.get("size").min());
	}

	@Test
	void modelInfoAsksForTheModelAndTheDevice() throws Exception {
		Map<String, DialogField> f = byKey(fields(ModelInfoCommand.class));
		assertEquals(List.of("model", "device", "results"), List.copyOf(f.keySet()));
		assertField(f.get("model"), Kind.FILE, "Model (.zip or folder)", "");
		assertField(f.get("device"), Kind.CHOICE, "Device", "auto");
		assertField(f.get("results"), Kind.CHECKBOX, "Also fill the Results table", "false");
	}

	@Test
	void servicesTheContextButtonsAndInvisibleItemsAreLeftOut() throws Exception {
		List<DialogField> list = fields(DialogShapesCommand.class);
		Map<String, DialogField> f = byKey(list);
		assertEquals(List.of("(message)", "ratio", "secret", "input", "dir", "big", "boxed"), List.copyOf(f.keySet()));
		assertField(list.get(0), Kind.MESSAGE, "note", "Read me first.");
		assertField(f.get("ratio"), Kind.NUMBER, "Ratio <a & b>", "0.1");
		assertTrue(f.get("secret").password());
		assertField(f.get("input"), Kind.FILE, "input", "");
		assertField(f.get("dir"), Kind.DIRECTORY, "dir", "");
		assertField(f.get("big"), Kind.NUMBER, "big", "5000000000");
		assertTrue(f.get("big").integer());
		assertField(f.get("boxed"), Kind.CHECKBOX, "boxed", "false");
	}

	@Test
	void imagesAreAChoiceOfOpenTitlesStartingWithTheCurrentOne() throws Exception {
		Map<String, DialogField> f = byKey(fields(EchoValuesCommand.class, List.of("blobs", "cells"), "cells"));
		assertField(f.get("image"), Kind.IMAGE, "image", "cells");
		assertEquals(List.of("blobs", "cells"), f.get("image").choices());
		assertField(f.get("mode"), Kind.CHOICE, "mode", "FAST");
		assertEquals(List.of("FAST", "CAREFUL"), f.get("mode").choices());
		assertField(f.get("scale"), Kind.NUMBER, "scale", "1.5");

		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> fields(EchoValuesCommand.class, List.of(), null));
		assertTrue(e.getMessage().contains("'image' needs an image, but none is open"), e.getMessage());
	}

	@Test
	void enteredValuesGiveOptionsThatParseBackToTheSameValues() throws Exception {
		List<DialogField> fields = fields(LabelImagesCommand.class);
		Map<String, String> entered = new LinkedHashMap<>();
		entered.put("model", "/models/my cells.zip");
		entered.put("images", "all open images");
		entered.put("folder", "");
		entered.put("labels", "mitosis, interphase,dead cell");
		entered.put("topk", "3");
		entered.put("slicelabels", "true");
		entered.put("device", "cpu");
		entered.put("results", "false");
		String options = DialogFields.options(fields, entered);
		Map<String, String> given = new LinkedHashMap<>(entered);
		given.remove("folder"); // empty file fields are left out, as the recorder leaves out a file that is null
		assertEquals(given, MacroOptions.parse(options), options);
		assertTrue(options.startsWith("model=[/models/my cells.zip] images=[all open images] labels=[mitosis,"), options);
		assertTrue(options.contains(" slicelabels=true device=cpu results=false"), "checkboxes as the recorder writes them: "
				+ options);
	}

	@Test
	void untouchedDialogsGiveEachCommandsDefaultsAsOptions() throws Exception {
		for (Class<? extends Command> command : List.of(TrainModelCommand.class, LabelImagesCommand.class,
				ColorFromTextCommand.class, ModelInfoCommand.class)) {
			List<DialogField> fields = DialogFields.withValues(fields(command), Map.of("model", "/m.zip",
					"folder", "/data", "labels", "a,b"));
			Map<String, Object> parsed = MacroOptions.parse(DialogFields.options(fields, Map.of()));
			for (DialogField f : fields) {
				if (f.kind() == Kind.MESSAGE || f.value().isEmpty() && (f.kind() == Kind.FILE || f.kind() == Kind.DIRECTORY)) {
					assertFalse(parsed.containsKey(f.key()), f::toString);
				}
				else assertEquals(f.value(), parsed.get(f.key()), command.getSimpleName() + " " + f);
			}
		}
	}

	@Test
	void invalidValuesAreRefusedNamingTheFieldAndTheRule() throws Exception {
		List<DialogField> label = fields(LabelImagesCommand.class);
		Map<String, String> valid = Map.of("model", "/m.zip", "labels", "a,b");
		assertEquals("/m.zip", MacroOptions.parse(DialogFields.options(label, valid)).get("model"));
		assertRefused(label, with(valid, "topk", "0"), "Top labels per plane: must be at least 1, not '0'.");
		assertRefused(label, with(valid, "topk", "1.5"), "Top labels per plane: must be a whole number, not '1.5'.");
		assertRefused(label, with(valid, "topk", "many"), "Top labels per plane: must be a whole number, not 'many'.");
		assertRefused(label, with(valid, "device", "tpu"), "Device: must be one of [auto, cpu, gpu], not 'tpu'.");
		assertRefused(label, Map.of("model", "  ", "labels", "a"), "Model (.zip or folder): required, please fill it in.");
		assertRefused(label, Map.of("model", "/m.zip"), "Labels (comma-separated, or a .txt file with one per line): "
				+ "required, please fill it in.");
		List<DialogField> train = fields(TrainModelCommand.class);
		Map<String, String> given = Map.of("folder", "/data", "model", "/m.zip");
		assertRefused(train, with(given, "epochs", "-1"), "Epochs (0: automatic): must be at least 0, not '-1'.");
		assertRefused(train, with(given, "epochs", ""), "Epochs (0: automatic): must be a whole number, not ''.");
		assertEquals("0", MacroOptions.parse(DialogFields.options(train, with(given, "epochs", "0"))).get("epochs"));
		assertEquals("3", MacroOptions.parse(DialogFields.options(train, with(given, "epochs", "3"))).get("epochs"));
	}

	private static Map<String, String> with(Map<String, String> map, String key, String value) {
		Map<String, String> copy = new LinkedHashMap<>(map);
		copy.put(key, value);
		return copy;
	}

	private static void assertRefused(List<DialogField> fields, Map<String, String> entered, String message) {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> DialogFields.options(fields, entered));
		assertEquals(message, e.getMessage());
	}

	@Test
	void offeredValuesReplaceDefaultsButNotWithChoicesThatDoNotExist() throws Exception {
		List<DialogField> fields = DialogFields.withValues(fields(TrainModelCommand.class),
				Map.of("preset", "huge", "device", "cpu", "epochs", "3", "help", "ignored"));
		Map<String, DialogField> f = byKey(fields);
		assertEquals("small", f.get("preset").value());
		assertEquals("cpu", f.get("device").value());
		assertEquals("3", f.get("epochs").value());
		assertEquals("Folder: captions.csv, sidecar .txt files or class subfolders.", f.get("(message)").value());
	}

	@Test
	void onlyPersistedValuesAreKeptForNextTime() throws Exception {
		List<DialogField> fields = fields(LabelImagesCommand.class);
		Map<String, String> kept = DialogFields.persisted(fields, Map.of("model", "/m.zip", "labels", "a,b",
				"topk", "2", "save", "/t.csv"));
		assertEquals(Map.of("model", "/m.zip", "topk", "2"), kept);
	}

	@Test
	void numbersAreShownPlainWithoutNeedlessZeros() {
		assertEquals("0.0005", DialogFields.number(5e-4));
		assertEquals("1", DialogFields.number(1.0));
		assertEquals("0.1", DialogFields.number(0.1f));
		assertEquals("1200", DialogFields.number(1.2e3));
		assertEquals("64", DialogFields.number(64));
		assertEquals("", DialogFields.number(Double.NaN));
		assertEquals("", DialogFields.number(null));
	}

	@Test
	void descriptionsMakeTheHelpPage() throws Exception {
		assertNull(DialogFields.help("Label Images...", fields(LabelImagesCommand.class)));
		assertEquals("<html><h2>Shapes</h2><p><b>Ratio &lt;a &amp; b&gt;</b>: How a compares to b.</p></html>",
				DialogFields.help("Shapes", fields(DialogShapesCommand.class)));
	}
}
