package sc.fiji.clip.fiji.macro;

import java.util.List;
import java.util.Map;

/** Asks the user for a command's inputs: ImageJ 1's dialog ({@link GenericInputsDialog}), or a stand-in in tests. */
interface InputsDialog {

	/**
	 * Shows the fields and waits until the user is done.
	 *
	 * @param title the dialog's title, the command's label
	 * @param error what was wrong with the values entered last time, shown above the fields; {@code null} if nothing
	 * @return the values entered, by option key ({@link DialogField#key()}), or {@code null} if the user cancelled
	 */
	Map<String, String> ask(String title, List<DialogField> fields, String error);
}
