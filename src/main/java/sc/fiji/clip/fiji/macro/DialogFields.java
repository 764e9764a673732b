package sc.fiji.clip.fiji.macro;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.ItemVisibility;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.widget.Button;
import org.scijava.widget.FileWidget;
import org.scijava.widget.TextWidget;

import ij.ImagePlus;

/**
 * From a SciJava command's inputs to the fields of an ImageJ 1 dialog, and from the values entered there back to a
 * macro options string: the part of {@link CommandDialog} that needs no display.
 * <p>
 * Inputs the macro options skip are skipped here too (services, the context, buttons, invisible items); message
 * items become lines of text. {@code choices} and enums become choices, booleans checkboxes, numbers numeric fields,
 * files file fields (folder fields with the {@code directory} style), images a choice of the open images' titles,
 * and everything else a text field.
 */
final class DialogFields {

	private DialogFields() {}

	/**
	 * The fields for a module's inputs, starting with its current values.
	 *
	 * @param openImages   the titles of the open images, for image inputs
	 * @param currentImage the current image's title, or {@code null}
	 * @throws IllegalArgumentException if an image input is required but no image is open
	 */
	public static List<DialogField> of(Module module, List<String> openImages, String currentImage) {
		List<DialogField> fields = new ArrayList<>();
		for (ModuleItem<?> item : module.getInfo().inputs()) {
			Class<?> type = MacroValues.boxed(item.getType());
			if (CommandInvocation.isInjected(type) || Button.class.isAssignableFrom(type)) continue;
			ItemVisibility visibility = item.getVisibility();
			if (visibility == ItemVisibility.INVISIBLE) continue;
			Object value = item.getValue(module);
			String name = item.getName();
			String label = label(item);
			String description = isBlank(item.getDescription()) ? null : item.getDescription().trim();
			if (visibility == ItemVisibility.MESSAGE) {
				String text = value == null ? label : value.toString();
				fields.add(new DialogField(DialogField.Kind.MESSAGE, name, label, description, text, null, false,
						null, null, false, false, false));
				continue;
			}
			boolean persisted = item.isPersisted();
			boolean required = item.isRequired() && !item.getType().isPrimitive();
			DialogField.Kind kind;
			List<String> choices = null;
			String text;
			boolean integer = false;
			Double min = null, max = null;
			if (type == Boolean.class) {
				kind = DialogField.Kind.CHECKBOX;
				text = String.valueOf(Boolean.TRUE.equals(value));
				required = false;
			} else if (ImagePlus.class.isAssignableFrom(type)) {
				if (openImages.isEmpty()) {
					if (required) throw new IllegalArgumentException("'" + MacroOptions.key(name)
							+ "' needs an image, but none is open: open one first");
					continue;
				}
				kind = DialogField.Kind.IMAGE;
				choices = openImages;
				String title = value instanceof ImagePlus ? ((ImagePlus) value).getTitle() : currentImage;
				text = title != null && openImages.contains(title) ? title : openImages.get(0);
			} else if (type.isEnum() || item.getChoices() != null && !item.getChoices().isEmpty()) {
				kind = DialogField.Kind.CHOICE;
				choices = new ArrayList<>();
				Object[] items = type.isEnum() ? type.getEnumConstants() : item.getChoices().toArray();
				for (Object c : items) choices.add(MacroOptions.text(c));
				text = value == null ? null : MacroOptions.text(value);
				if (!choices.contains(text)) text = choices.get(0);
			} else if (isNumber(type)) {
				kind = DialogField.Kind.NUMBER;
				integer = isInteger(type);
				text = number(value);
				min = bound(item.getMinimumValue());
				max = bound(item.getMaximumValue());
				required = false;
			} else if (type == File.class || type == Path.class) {
				kind = hasStyle(item, FileWidget.DIRECTORY_STYLE) ? DialogField.Kind.DIRECTORY : DialogField.Kind.FILE;
				text = value == null ? "" : MacroOptions.text(value);
			} else {
				kind = DialogField.Kind.STRING;
				text = value == null ? "" : MacroOptions.text(value);
			}
			fields.add(new DialogField(kind, name, label, description, text, choices, integer, min, max, required,
					persisted, hasStyle(item, TextWidget.PASSWORD_STYLE)));
		}
		return fields;
	}

	/**
	 * The fields with other starting values: those in {@code values} (by option key) replace the fields' own, except
	 * for choices they are not among.
	 */
	public static List<DialogField> withValues(List<DialogField> fields, Map<String, String> values) {
		List<DialogField> result = new ArrayList<>();
		for (DialogField f : fields) {
			String v = f.kind() == DialogField.Kind.MESSAGE ? null : values.get(f.key());
			boolean fits = v != null && (f.choices().isEmpty() || f.choices().contains(v));
			result.add(fits ? f.withValue(v) : f);
		}
		return result;
	}

	/**
	 * The macro options string for the values entered in the fields (by option key; a field without an entry keeps
	 * its starting value): every input but empty file fields, checkboxes as {@code key=true} / {@code key=false}, as
	 * the recorder writes a run (see {@link CommandInvocation#recordedOptions}).
	 *
	 * @throws IllegalArgumentException naming the field's label, for a value that is not valid: not a number, not
	 *                                  whole, outside the minimum or maximum, not among the choices, or empty where
	 *                                  required
	 */
	public static String options(List<DialogField> fields, Map<String, String> entered) {
		Map<String, Object> options = new LinkedHashMap<>();
		for (DialogField f : fields) {
			if (f.kind() == DialogField.Kind.MESSAGE) continue;
			String raw = entered.getOrDefault(f.key(), f.value());
			String value = valid(f, raw == null ? "" : raw);
			boolean noFile = value.isEmpty() && (f.kind() == DialogField.Kind.FILE || f.kind() == DialogField.Kind.DIRECTORY);
			options.put(f.key(), noFile ? null : value); // no file: left out, as the recorder leaves out a null file
		}
		return MacroOptions.format(options);
	}

	/** The stored values worth offering next time: those of the fields SciJava persists. */
	static Map<String, String> persisted(List<DialogField> fields, Map<String, String> entered) {
		Map<String, String> kept = new LinkedHashMap<>();
		for (DialogField f : fields) {
			if (f.persisted() && !f.password() && entered.containsKey(f.key())) kept.put(f.key(), entered.get(f.key()));
		}
		return kept;
	}

	/** An HTML page of the fields' descriptions for the dialog's Help button, or {@code null} if none has one. */
	public static String help(String title, List<DialogField> fields) {
		StringBuilder sb = new StringBuilder();
		for (DialogField f : fields) {
			if (f.description() == null || f.kind() == DialogField.Kind.MESSAGE) continue;
			sb.append("<p><b>").append(html(f.label())).append("</b>: ").append(html(f.description())).append("</p>");
		}
		return sb.length() == 0 ? null : "<html><h2>" + html(title) + "</h2>" + sb + "</html>";
	}

	private static String valid(DialogField f, String raw) {
		switch (f.kind()) {
			case CHECKBOX:
				if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")) return raw.toLowerCase(Locale.ROOT);
				throw invalid(f, "must be ticked or not", raw);
			case CHOICE:
			case IMAGE:
				if (f.choices().contains(raw)) return raw;
				throw invalid(f, "must be one of " + f.choices(), raw);
			case NUMBER:
				return validNumber(f, raw.trim());
			default:
				String text = f.kind() == DialogField.Kind.STRING ? raw : raw.trim();
				if (f.required() && text.trim().isEmpty()) {
					throw new IllegalArgumentException(f.label() + ": required, please fill it in.");
				}
				return text;
		}
	}

	private static String validNumber(DialogField f, String s) {
		BigDecimal number;
		try {
			number = new BigDecimal(s);
		} catch (NumberFormatException e) {
			throw invalid(f, f.integer() ? "must be a whole number" : "must be a number", s);
		}
		if (f.integer()) {
			try {
				number.toBigIntegerExact();
			} catch (ArithmeticException e) {
				throw invalid(f, "must be a whole number", s);
			}
		}
		if (f.min() != null && number.compareTo(BigDecimal.valueOf(f.min())) < 0) {
			throw invalid(f, "must be at least " + MacroOptions.text(f.min()), s);
		}
		if (f.max() != null && number.compareTo(BigDecimal.valueOf(f.max())) > 0) {
			throw invalid(f, "must be at most " + MacroOptions.text(f.max()), s);
		}
		return s;
	}

	private static IllegalArgumentException invalid(DialogField f, String what, String raw) {
		return new IllegalArgumentException(f.label() + ": " + what + ", not '" + raw + "'.");
	}

	private static String label(ModuleItem<?> item) {
		String label = item.getLabel();
		return isBlank(label) ? item.getName() : label.trim();
	}

	private static boolean isNumber(Class<?> type) {
		return Number.class.isAssignableFrom(type);
	}

	private static boolean isInteger(Class<?> type) {
		return type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
				|| type == BigInteger.class;
	}

	/** A number as the dialog shows it: plain decimal notation, no needless zeros; empty for none or NaN. */
	static String number(Object value) {
		if (!(value instanceof Number)) return "";
		Number n = (Number) value;
		if (value instanceof Double || value instanceof Float) {
			double d = n.doubleValue();
			if (Double.isNaN(d) || Double.isInfinite(d)) return "";
			// Float's own shortest text, not its binary expansion as a double
			BigDecimal exact = new BigDecimal(value instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d));
			return plain(exact);
		}
		if (value instanceof BigDecimal) return plain((BigDecimal) value);
		return value.toString();
	}

	private static String plain(BigDecimal d) {
		BigDecimal stripped = d.stripTrailingZeros();
		return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
	}

	private static Double bound(Object value) {
		if (!(value instanceof Number)) return null;
		double d = ((Number) value).doubleValue();
		return Double.isNaN(d) ? null : d;
	}

	static boolean hasStyle(ModuleItem<?> item, String style) {
		String styles = item.getWidgetStyle();
		if (styles == null) return false;
		for (String s : styles.split(",")) {
			if (s.trim().equalsIgnoreCase(style)) return true;
		}
		return false;
	}

	private static String html(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private static boolean isBlank(String s) {
		return s == null || s.trim().isEmpty();
	}
}
