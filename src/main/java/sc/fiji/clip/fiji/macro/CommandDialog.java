package sc.fiji.clip.fiji.macro;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.scijava.module.Module;
import org.scijava.module.ModuleException;

import ij.ImagePlus;
import ij.WindowManager;

/**
 * Asks for a command's inputs in a dialog when it runs without macro options (chosen from the menu), and turns the
 * answer into the options string a macro would give, so that the run, and the recorder's line for it, are those of
 * the macro path. Invalid values are pointed out and asked for again. The values entered are offered again the next
 * time the dialog opens in this session, for the parameters SciJava persists (ImageJ2 keeps them across sessions).
 */
public final class CommandDialog {

	private static final Map<String, Map<String, String>> OFFERED = new ConcurrentHashMap<>();

	private CommandDialog() {}

	/**
	 * Values, by option key, to show in the dialog of the command class {@code commandClass} the next times it opens,
	 * in place of the command's defaults, as if the user had entered them there before.
	 */
	public static void offer(String commandClass, Map<String, String> values) {
		OFFERED.merge(commandClass, Map.copyOf(values), (old, add) -> {
			Map<String, String> merged = new LinkedHashMap<>(old);
			merged.putAll(add);
			return Map.copyOf(merged);
		});
	}

	/**
	 * Asks for the inputs of the registered command.
	 *
	 * @return the macro options for the run, or {@code null} if the user cancelled
	 * @throws MacroCommandException if the command cannot be created, or needs an image and none is open
	 */
	static String ask(MacroCommandBridge.Registration registration, InputsDialog dialog) throws MacroCommandException {
		return ask(registration, dialog, null);
	}

	/**
	 * Asks for those inputs of the registered command whose option keys are in {@code keys} ({@code null}: all), as
	 * ImageJ2's harvester asks for the inputs a macro left out.
	 */
	static String ask(MacroCommandBridge.Registration registration, InputsDialog dialog, Set<String> keys)
			throws MacroCommandException {
		List<DialogField> fields = fields(registration);
		if (keys != null) fields.removeIf(f -> !keys.contains(f.key()));
		String className = registration.info.getDelegateClassName();
		fields = DialogFields.withValues(fields, OFFERED.getOrDefault(className, Map.of()));
		String error = null;
		while (true) {
			Map<String, String> entered = dialog.ask(registration.label, fields, error);
			if (entered == null) return null;
			try {
				String options = DialogFields.options(fields, entered);
				offer(className, DialogFields.persisted(fields, entered));
				return options;
			} catch (IllegalArgumentException e) {
				error = e.getMessage();
				fields = DialogFields.withValues(fields, entered);
			}
		}
	}

	private static List<DialogField> fields(MacroCommandBridge.Registration registration) throws MacroCommandException {
		Module module;
		try {
			module = registration.info.createModule();
			registration.context.inject(module);
			module.initialize();
		} catch (ModuleException | RuntimeException e) {
			throw new MacroCommandException(registration.label + ": could not be created: " + CommandInvocation.describe(e));
		}
		List<String> titles = new ArrayList<>();
		int[] ids = WindowManager.getIDList();
		if (ids != null) {
			for (int id : ids) {
				ImagePlus imp = WindowManager.getImage(id);
				if (imp != null) titles.add(imp.getTitle());
			}
		}
		ImagePlus current = WindowManager.getCurrentImage();
		try {
			return DialogFields.of(module, titles, current == null ? null : current.getTitle());
		} catch (IllegalArgumentException e) {
			throw new MacroCommandException(registration.label + ": " + e.getMessage());
		}
	}
}
