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
 * Option keys are the parameter names in lower case, as ImageJ-legacy reads and records them, and the bridge follows
 * imagej-legacy's rules (see {@link CommandInvocation}): a value only as {@code key=value} (checkboxes
 * {@code key=true} / {@code key=false}; a bare keyword is an error naming the fix); strings, files, paths, numbers,
 * characters, enums (by name) and choices are converted from their text; {@code ij.ImagePlus} inputs take the image
 * with the given title, or else the current image when the command has just one image input. An input the options
 * leave out is asked for in a dialog with a display, as ImageJ2's harvester does, and headless keeps its remembered
 * value or default, which the log lists. Unknown options are ignored with a warning in the log, as ImageJ ignores
 * them.
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

	/** What asks for inputs: the tests' stand-in, else ImageJ 1's dialog when there is a display, else {@code null}. */
	static InputsDialog dialog() {
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
			new CommandInvocation(registration).run(options, dialog != null);
		} catch (MacroCommandException e) {
			if (e.isAlreadyReported()) return;
			IJ.error(registration.label, e.getMessage());
		}
	}
}
