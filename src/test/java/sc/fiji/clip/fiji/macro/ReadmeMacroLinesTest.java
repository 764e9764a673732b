package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;

/**
 * Every {@code run(...)} line README.md shows for a CLIP command is one Fiji runs without a dialog: every input as
 * {@code key=value} (imagej-legacy 16fcda9, {@code MacroPreprocessor} lines 81-92, resolves only those; its input
 * harvester then asks for the rest), no bare keyword, no key the command does not take. The shipped macros are run
 * under the same rules in {@code ExampleMacrosTest}.
 */
class ReadmeMacroLinesTest {

	private static final Pattern RUN = Pattern.compile("run\\(\"([^\"]+)\", \"((?:[^\"\\\\]|\\\\.)*)\"\\)");
	private static Context context;

	@BeforeAll
	static void boot() {
		context = new Context(CommandService.class);
	}

	@AfterAll
	static void dispose() {
		context.dispose();
	}

	@Test
	void everyReadmeLineGivesEveryInputAsKeyEqualsValue() throws Exception {
		Map<String, CommandInfo> commands = new LinkedHashMap<>();
		for (CommandInfo info : context.service(CommandService.class).getCommands()) {
			boolean shipped = info.getClassName().startsWith("sc.fiji.clip.fiji.") && !info.getClassName().contains(".macro.");
			if (shipped && info.getMenuPath() != null) commands.put(info.getMenuPath().getLeaf().getName(), info);
		}
		Matcher m = RUN.matcher(Files.readString(Paths.get("README.md")));
		Set<String> checked = new TreeSet<>();
		List<String> problems = new ArrayList<>();
		while (m.find()) {
			CommandInfo info = commands.get(m.group(1));
			if (info == null) continue; // an ImageJ command, e.g. run("Clear Results")
			checked.add(m.group(1));
			problems.addAll(problems(m.group(1), info, MacroOptions.parse(m.group(2))));
		}
		assertEquals(commands.keySet(), checked, "README shows a line for every CLIP command");
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	@Test
	void theCheckSeesABareFlagAndALeftOutInput() {
		CommandInfo info = context.service(CommandService.class).getCommand(sc.fiji.clip.fiji.ModelInfoCommand.class);
		List<String> problems = problems("Model Info...", info, MacroOptions.parse("model=[/m.zip] results"));
		assertEquals(List.of("Model Info...: 'results' is a bare keyword; write results=true or results=false",
			"Model Info...: leaves out device"), problems);
		assertFalse(problems("Model Info...", info, MacroOptions.parse("model=[/m.zip] device=cpu results=false"))
			.iterator().hasNext());
	}

	private static List<String> problems(String label, CommandInfo info, Map<String, Object> options) {
		List<String> problems = new ArrayList<>();
		Set<String> keys = new TreeSet<>();
		for (ModuleItem<?> item : info.inputs()) {
			if (CommandInvocation.isInjected(item.getType()) || item.getVisibility() == ItemVisibility.MESSAGE) continue;
			keys.add(MacroOptions.key(item.getName()));
		}
		options.forEach((key, value) -> {
			if (Boolean.TRUE.equals(value)) problems.add(label + ": '" + key + "' is a bare keyword; write " + key
				+ "=true or " + key + "=false");
			else if (!keys.contains(key)) problems.add(label + ": takes no '" + key + "'");
		});
		for (String key : keys)
			if (!options.containsKey(key)) problems.add(label + ": leaves out " + key);
		return problems;
	}
}
