package sc.fiji.clip.fiji.macro;

import java.awt.GraphicsEnvironment;

import ij.IJ;
import ij.Macro;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;

/**
 * The ImageJ 1 plugin behind every command {@link MacroCommandBridge} registers; its argument is the command's class
 * name. It reads the options of the macro's {@code run(label, options)} call ({@code ij.Macro.getOptions()}) by
 * parameter name and runs the command.
 * <p>
 * Option keys are the parameter names in lower case, as ImageJ-legacy reads and records them. Strings, files, paths,
 * numbers, characters, enums (by name) and choices are converted from their text; checkboxes ({@code boolean}) are
 * ticked by their bare keyword ({@code flag}) or {@code flag=true} and unticked when absent or {@code flag=false}
 * (in Fiji, ImageJ-legacy only understands {@code flag=true} / {@code flag=false}, which is also what it records, so
 * macros meant for both should use that form); {@code ij.ImagePlus} inputs take the image with the given title, or
 * else the current image when the command has just one image input. Inputs not given keep the command's own
 * defaults (never values remembered from earlier runs); a required input without a default is an error naming its
 * option. Unknown options are ignored with a warning in the log, as ImageJ ignores them.
 * <p>
 * Run without options, from the menu or by a {@code run(label)} without options, and with a display, it first asks
 * for the inputs in an ImageJ 1 dialog ({@link CommandDialog}) and runs the command with the options the dialog
 * gives, as if a macro had given them; Cancel runs nothing and records nothing. Headless there is no dialog: the
 * command runs with its defaults.
 * <p>
 * Any failure (bad value, missing option, exception or cancellation in the command) is reported with
 * {@code IJ.error} as one paragraph naming the command, without a stack trace. In a macro this aborts the macro with
 * a "Macro Error" (the interpreter's {@code wasError()} is then true); called through {@code IJ.run} from Java it
 * aborts that call.
 */
public class SciJavaPlugIn implements PlugIn {

	/** What asks for the inputs of a run without options; {@code null}: ImageJ 1's dialog when there is a display. */
	static volatile InputsDialog dialogForTests;

	private static InputsDialog dialog() {
		InputsDialog stand = dialogForTests;
		if (stand != null) return stand;
		return GraphicsEnvironment.isHeadless() ? null : new GenericInputsDialog();
	}

	@Override
	public void run(String className) {
		MacroCommandBridge.Registration registration = MacroCommandBridge.registration(className);
		if (registration == null) {
			IJ.error("SciJava command", "The SciJava command " + className + " is not registered for macros:"
					+ " MacroCommandBridge.install(context) was not called for it, or its context was uninstalled.");
			return;
		}
		try {
			String options = Macro.getOptions();
			InputsDialog dialog = options == null ? dialog() : null;
			if (dialog != null) {
				options = CommandDialog.ask(registration, dialog);
				if (options == null) {
					if (Recorder.record && !GraphicsEnvironment.isHeadless()) Recorder.setCommand(null); // record no run
					return;
				}
			}
			new CommandInvocation(registration).run(options);
		} catch (MacroCommandException e) {
			if (e.isAlreadyReported()) return;
			IJ.error(registration.label, e.getMessage());
		}
	}
}
