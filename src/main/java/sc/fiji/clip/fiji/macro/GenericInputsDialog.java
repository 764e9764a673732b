package sc.fiji.clip.fiji.macro;

import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Color;
import java.awt.TextField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.gui.GenericDialog;

/**
 * The inputs of a command in an ImageJ 1 {@link GenericDialog}, one field per {@link DialogField}. The values are
 * read from the dialog's components rather than with {@code getNext...}, which would record them under keys made
 * from the labels; the command's run records them under its parameter names instead.
 */
final class GenericInputsDialog implements InputsDialog {

	@Override
	public Map<String, String> ask(String title, List<DialogField> fields, String error) {
		GenericDialog gd = new GenericDialog(title);
		if (error != null) gd.addMessage(error, null, Color.RED);
		for (DialogField f : fields) add(gd, f);
		String help = DialogFields.help(title, fields);
		if (help != null) gd.addHelp(help);
		gd.showDialog();
		if (gd.wasCanceled()) return null;
		Map<String, String> entered = new LinkedHashMap<>();
		int number = 0, string = 0, checkbox = 0, choice = 0;
		for (DialogField f : fields) {
			switch (f.kind()) {
				case MESSAGE:
					break;
				case CHECKBOX:
					entered.put(f.key(), String.valueOf(((Checkbox) gd.getCheckboxes().get(checkbox++)).getState()));
					break;
				case CHOICE:
				case IMAGE:
					entered.put(f.key(), ((Choice) gd.getChoices().get(choice++)).getSelectedItem());
					break;
				case NUMBER:
					entered.put(f.key(), ((TextField) gd.getNumericFields().get(number++)).getText());
					break;
				default:
					entered.put(f.key(), ((TextField) gd.getStringFields().get(string++)).getText());
			}
		}
		return entered;
	}

	private static void add(GenericDialog gd, DialogField f) {
		switch (f.kind()) {
			case MESSAGE:
				gd.addMessage(f.value());
				break;
			case CHECKBOX:
				gd.addCheckbox(f.label(), Boolean.parseBoolean(f.value()));
				break;
			case CHOICE:
			case IMAGE:
				gd.addChoice(f.label(), f.choices().toArray(new String[0]), f.value());
				break;
			case NUMBER:
				gd.addNumericField(f.label(), 0, f.digits(), f.integer() ? 6 : 8, null);
				// exactly the field's text (also for no value), not a reformatted double
				((TextField) gd.getNumericFields().lastElement()).setText(f.value());
				break;
			case FILE:
				gd.addFileField(f.label(), f.value(), columns(f));
				break;
			case DIRECTORY:
				gd.addDirectoryField(f.label(), f.value(), columns(f));
				break;
			default:
				if (f.password()) gd.setEchoChar('*');
				gd.addStringField(f.label(), f.value(), columns(f));
		}
	}

	/** Wide enough for the text it starts with, as ImageJ sizes file fields: 25 to 60 columns. */
	private static int columns(DialogField f) {
		return Math.max(25, Math.min(60, f.value().length() + 2));
	}
}
