package sc.fiji.clip.fiji.macro;

import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scijava.convert.ConvertService;
import org.scijava.module.ModuleItem;

/**
 * Converts macro option strings to the types of command parameters. Bad values give an
 * {@link IllegalArgumentException} whose message names the option and says what was expected.
 */
final class MacroValues {

	private MacroValues() {}

	static boolean isBoolean(Class<?> type) {
		return type == boolean.class || type == Boolean.class;
	}

	/** A checkbox option, as Fiji reads it: only {@code key=true} or {@code key=false}. */
	static boolean toBoolean(String key, String raw) {
		String s = raw.trim();
		if (s.equalsIgnoreCase("true")) return true;
		if (s.equalsIgnoreCase("false")) return false;
		throw new IllegalArgumentException("'" + key + "' is a checkbox: write " + key + "=true or " + key
				+ "=false, not " + key + "=" + s);
	}

	/** Converts {@code raw} to the item's type (not for booleans and images, which need more than the string). */
	static Object convert(String key, String raw, ModuleItem<?> item, ConvertService convertService) {
		Class<?> type = boxed(item.getType());
		try {
			if (type == String.class) return choice(key, raw, item);
			if (type == File.class) return raw.isEmpty() ? null : new File(raw);
			if (type == Path.class) return raw.isEmpty() ? null : Paths.get(raw);
			if (type == Character.class) {
				if (raw.length() != 1) throw expected(key, "a single character", raw);
				return raw.charAt(0);
			}
			if (type == Double.class || type == Float.class) return floating(key, raw, type);
			if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
					|| type == BigInteger.class) {
				return integer(key, raw, type);
			}
			if (type == BigDecimal.class) return new BigDecimal(number(key, raw));
			if (type.isEnum()) return enumConstant(key, raw, type);
		} catch (InvalidPathException e) {
			throw new IllegalArgumentException("'" + key + "' is not a valid path: " + e.getMessage());
		}
		if (convertService != null && convertService.supports(raw, type)) {
			Object converted = convertService.convert(raw, type);
			if (converted != null) return converted;
		}
		throw new IllegalArgumentException("'" + key + "' is of type " + type.getSimpleName()
				+ ", which cannot be set from a macro option (got " + q(raw) + ")");
	}

	static Class<?> boxed(Class<?> type) {
		if (!type.isPrimitive()) return type;
		if (type == int.class) return Integer.class;
		if (type == long.class) return Long.class;
		if (type == double.class) return Double.class;
		if (type == float.class) return Float.class;
		if (type == boolean.class) return Boolean.class;
		if (type == short.class) return Short.class;
		if (type == byte.class) return Byte.class;
		if (type == char.class) return Character.class;
		return type;
	}

	private static Object choice(String key, String raw, ModuleItem<?> item) {
		List<?> choices = item.getChoices();
		if (choices == null || choices.isEmpty()) return raw;
		List<String> names = new ArrayList<>();
		for (Object c : choices) names.add(String.valueOf(c));
		if (names.contains(raw)) return raw;
		for (String name : names) {
			if (name.equalsIgnoreCase(raw.trim())) return name;
		}
		throw new IllegalArgumentException("'" + key + "' must be one of " + choiceList(names) + ", not "
				+ q(raw));
	}

	private static Object enumConstant(String key, String raw, Class<?> type) {
		Object[] constants = type.getEnumConstants();
		List<String> names = new ArrayList<>();
		String wanted = raw.trim();
		for (Object c : constants) {
			Enum<?> e = (Enum<?>) c;
			if (e.name().equalsIgnoreCase(wanted) || e.toString().equalsIgnoreCase(wanted)) return e;
			names.add(e.name());
		}
		throw new IllegalArgumentException("'" + key + "' must be one of " + choiceList(names) + ", not "
				+ q(raw));
	}

	private static Object floating(String key, String raw, Class<?> type) {
		double d;
		try {
			d = Double.parseDouble(raw.trim());
		} catch (NumberFormatException e) {
			throw expected(key, "a number", raw);
		}
		return type == Float.class ? (Object) (float) d : (Object) d;
	}

	private static Object integer(String key, String raw, Class<?> type) {
		BigDecimal value;
		try {
			value = new BigDecimal(raw.trim());
		} catch (NumberFormatException e) {
			throw expected(key, "a whole number", raw);
		}
		BigInteger whole;
		try {
			whole = value.toBigIntegerExact();
		} catch (ArithmeticException e) {
			throw expected(key, "a whole number", raw);
		}
		if (type == BigInteger.class) return whole;
		try {
			if (type == Long.class) return whole.longValueExact();
			if (type == Integer.class) return whole.intValueExact();
			if (type == Short.class) return whole.shortValueExact();
			return whole.byteValueExact();
		} catch (ArithmeticException e) {
			throw new IllegalArgumentException("'" + key + "' is out of range for " + type.getSimpleName()
					.toLowerCase(Locale.US).replace("integer", "int") + ": " + raw.trim());
		}
	}

	/** A plain decimal string, checked. */
	private static String number(String key, String raw) {
		String s = raw.trim();
		try {
			new BigDecimal(s);
			return s;
		} catch (NumberFormatException e) {
			throw expected(key, "a number", raw);
		}
	}

	private static IllegalArgumentException expected(String key, String what, String raw) {
		return new IllegalArgumentException("'" + key + "' must be " + what + ", not " + q(raw));
	}

	private static String q(String s) {
		return "'" + s + "'";
	}

	private static String choiceList(List<String> names) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < names.size(); i++) {
			if (i > 0) sb.append(i == names.size() - 1 ? " or " : ", ");
			sb.append(q(names.get(i)));
		}
		return sb.toString();
	}
}
