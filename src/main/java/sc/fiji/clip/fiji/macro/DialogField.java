package sc.fiji.clip.fiji.macro;

import java.util.List;
import java.util.Objects;

/**
 * One input of a SciJava command as a field of an ImageJ 1 dialog: what kind of field, its label, the value it
 * starts with (as text), and what a valid value is. Built by {@link DialogFields}; free of AWT.
 */
final class DialogField {

	/** The kinds of dialog field, each with its {@code ij.gui.GenericDialog} method. */
	public enum Kind {
		/** A line of text, not an input ({@code addMessage}); its value is the text. */
		MESSAGE,
		/** {@code addCheckbox}; value {@code "true"} or {@code "false"}. */
		CHECKBOX,
		/** {@code addChoice} among {@link DialogField#choices()}. */
		CHOICE,
		/** {@code addNumericField}. */
		NUMBER,
		/** {@code addStringField}. */
		STRING,
		/** {@code addFileField}. */
		FILE,
		/** {@code addDirectoryField}. */
		DIRECTORY,
		/** A choice among the titles of the open images ({@link DialogField#choices()}). */
		IMAGE
	}

	private final Kind kind;
	private final String name;
	private final String key;
	private final String label;
	private final String description;
	private final String value;
	private final List<String> choices;
	private final boolean integer;
	private final Double min;
	private final Double max;
	private final boolean required;
	private final boolean persisted;
	private final boolean password;

	DialogField(Kind kind, String name, String label, String description, String value, List<String> choices,
			boolean integer, Double min, Double max, boolean required, boolean persisted, boolean password) {
		this.kind = Objects.requireNonNull(kind);
		this.name = name;
		this.key = kind == Kind.MESSAGE ? "" : MacroOptions.key(name);
		this.label = label;
		this.description = description;
		this.value = value == null ? "" : value;
		this.choices = choices == null ? List.of() : List.copyOf(choices);
		this.integer = integer;
		this.min = min;
		this.max = max;
		this.required = required;
		this.persisted = persisted;
		this.password = password;
	}

	/** The same field starting with {@code newValue} instead. */
	DialogField withValue(String newValue) {
		return new DialogField(kind, name, label, description, newValue, choices, integer, min, max, required,
				persisted, password);
	}

	public Kind kind() {
		return kind;
	}

	/** The parameter's name. */
	public String name() {
		return name;
	}

	/** The macro option key ({@link MacroOptions#key(String)} of the name); empty for a message. */
	public String key() {
		return key;
	}

	/** The label shown next to the field (the parameter's {@code label}, else its name). */
	public String label() {
		return label;
	}

	/** The parameter's {@code description}, or {@code null}. */
	public String description() {
		return description;
	}

	/** The value the field starts with, as text (numbers as they are shown, a checkbox as "true" or "false"). */
	public String value() {
		return value;
	}

	/** The items of a choice, or the open images' titles; empty for other kinds. */
	public List<String> choices() {
		return choices;
	}

	/** Whether a number must be whole. */
	public boolean integer() {
		return integer;
	}

	/** The smallest valid number, or {@code null}. */
	public Double min() {
		return min;
	}

	/** The largest valid number, or {@code null}. */
	public Double max() {
		return max;
	}

	/** Whether text or a file must be given (SciJava's {@code required}, for types without a value of their own). */
	public boolean required() {
		return required;
	}

	/** Whether the value is offered again the next time the dialog opens (SciJava's {@code persist}). */
	public boolean persisted() {
		return persisted;
	}

	/** Whether typed text is hidden (the {@code password} style). */
	public boolean password() {
		return password;
	}

	/** Decimal places to show a number with: none for whole numbers, else as many as the value has. */
	public int digits() {
		if (integer || value.isEmpty()) return 0;
		int dot = value.indexOf('.');
		return dot < 0 ? 0 : value.length() - dot - 1;
	}

	@Override
	public String toString() {
		return kind + " " + key + " '" + label + "' = '" + value + "'" + (choices.isEmpty() ? "" : " of " + choices);
	}
}
