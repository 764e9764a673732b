package sc.fiji.clip.fiji.macro;

import java.io.File;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The option strings of ImageJ 1 macro {@code run(command, options)} calls, as the ImageJ 1 recorder writes them and
 * {@code ij.Macro.getValue} reads them: space-separated {@code key=value} pairs, values with spaces in square
 * brackets ({@code text=[hello world]}). In Fiji, ImageJ-legacy reads an input only as {@code key=value}
 * ({@code MacroPreprocessor}), so checkboxes are {@code flag=true} / {@code flag=false}; a bare keyword
 * ({@code flag}, the ImageJ 1 recorder's form for its own dialogs) is parsed so that the bridge can name the fix.
 * <p>
 * Keys are what ImageJ 1 makes of a label or parameter name ({@link #key(String)}): lower case, up to the first
 * space or colon. {@link #parse(String)} and {@link #format(Map)} are inverse to each other: parsing a formatted map
 * gives the map back (with {@code false} and {@code null} entries dropped, values as strings), and formatting a parsed
 * string gives the string back in its canonical spacing.
 */
public final class MacroOptions {

	private MacroOptions() {}

	/**
	 * The option key ImageJ 1 uses for a dialog label or parameter name: lower case (US locale), cut at the first
	 * space or colon, like {@code ij.Macro.trimKey} and the recorder.
	 */
	public static String key(String name) {
		String key = name.trim();
		int space = key.indexOf(' ');
		if (space >= 0) key = key.substring(0, space);
		int colon = key.indexOf(':');
		if (colon >= 0) key = key.substring(0, colon);
		return key.toLowerCase(Locale.US);
	}

	/**
	 * Parses an option string. {@code key=value} becomes a {@link String} value (brackets or single quotes around the
	 * value removed), a bare {@code keyword} becomes {@link Boolean#TRUE}. Keys are lower-cased; where a key occurs
	 * twice the first wins, as with {@code ij.Macro.getValue}.
	 *
	 * @param options the option string, {@code null} or blank for none
	 * @return the options in their order of appearance (unmodifiable)
	 * @throws IllegalArgumentException if a bracket or quote is not closed, or a key is empty
	 */
	public static Map<String, Object> parse(String options) {
		Map<String, Object> result = new LinkedHashMap<>();
		if (options == null) return Collections.unmodifiableMap(result);
		int n = options.length();
		int i = 0;
		while (true) {
			while (i < n && Character.isWhitespace(options.charAt(i))) i++;
			if (i >= n) break;
			int keyStart = i;
			while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i))) i++;
			String key = options.substring(keyStart, i).toLowerCase(Locale.US);
			if (key.isEmpty()) {
				throw new IllegalArgumentException("Option string has a value without a key at position " + keyStart
						+ ": \"" + options + "\"");
			}
			if (i >= n || options.charAt(i) != '=') {
				result.putIfAbsent(key, Boolean.TRUE);
				continue;
			}
			i++; // '='
			String value;
			if (i < n && options.charAt(i) == '[') {
				int depth = 1;
				int j = i + 1;
				for (; j < n; j++) {
					char c = options.charAt(j);
					if (c == '[') depth++;
					else if (c == ']' && --depth == 0) break;
				}
				if (j >= n) {
					throw new IllegalArgumentException("Option '" + key + "' has a '[' without its closing ']': \""
							+ options + "\"");
				}
				value = options.substring(i + 1, j);
				i = j + 1;
			} else if (i < n && options.charAt(i) == '\'') {
				int j = options.indexOf('\'', i + 1);
				if (j < 0) {
					throw new IllegalArgumentException("Option '" + key + "' has a ' without its closing ': \""
							+ options + "\"");
				}
				value = options.substring(i + 1, j);
				i = j + 1;
			} else {
				int j = i;
				while (j < n && !Character.isWhitespace(options.charAt(j))) j++;
				value = options.substring(i, j);
				i = j;
			}
			result.putIfAbsent(key, value);
		}
		return Collections.unmodifiableMap(result);
	}

	/**
	 * Formats options as Fiji's Recorder writes a SciJava command's run: every entry as {@code key=value} (booleans
	 * {@code key=true} / {@code key=false}), values written with {@link #formatValue(Object)}; {@code null} entries are
	 * left out, as the Recorder leaves out an input without a value.
	 * Keys go through {@link #key(String)}.
	 *
	 * @throws IllegalArgumentException if a key is empty, two keys give the same option key, or a value cannot be
	 *                                  written (see {@link #formatValue(Object)})
	 */
	public static String format(Map<String, ?> options) {
		StringBuilder sb = new StringBuilder();
		Map<String, String> seen = new LinkedHashMap<>();
		for (Map.Entry<String, ?> e : options.entrySet()) {
			String key = key(e.getKey());
			if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('[') >= 0) {
				throw new IllegalArgumentException("Not a valid option key: '" + e.getKey() + "'");
			}
			String previous = seen.put(key, e.getKey());
			if (previous != null) {
				throw new IllegalArgumentException("Options '" + previous + "' and '" + e.getKey()
						+ "' both have the key '" + key + "'");
			}
			Object value = e.getValue();
			if (value == null) continue;
			if (sb.length() > 0) sb.append(' ');
			sb.append(key).append('=').append(formatValue(value));
		}
		return sb.toString();
	}

	/**
	 * One option value as it appears after {@code key=}: numbers without a needless {@code .0}, files and paths as
	 * their path, enums by {@link Enum#name()}, anything else by {@code toString()}. Values that are empty, contain
	 * white space or start with {@code [} or {@code '} are put in square brackets, or in single quotes when their
	 * brackets do not balance.
	 *
	 * @throws IllegalArgumentException for a value ImageJ 1 could not read back (white space, unbalanced brackets and
	 *                                  a single quote all at once)
	 */
	public static String formatValue(Object value) {
		String s = text(value);
		boolean needsEnclosing = s.isEmpty() || s.charAt(0) == '[' || s.charAt(0) == '\'';
		for (int i = 0; i < s.length() && !needsEnclosing; i++) {
			if (Character.isWhitespace(s.charAt(i))) needsEnclosing = true;
		}
		if (!needsEnclosing) return s;
		if (bracketsBalance(s)) return "[" + s + "]";
		if (s.indexOf('\'') < 0) return "'" + s + "'";
		throw new IllegalArgumentException("Value cannot be written as a macro option (it has spaces, unbalanced"
				+ " brackets and a single quote): " + s);
	}

	/**
	 * A macro statement running {@code command} with these options, e.g.
	 * {@code run("Label Images...", "model=[/p/m.zip] labels=[a,b]");}
	 */
	public static String runStatement(String command, Map<String, ?> options) {
		String formatted = format(options);
		StringBuilder sb = new StringBuilder("run(").append(quote(command));
		if (!formatted.isEmpty()) sb.append(", ").append(quote(formatted));
		return sb.append(");").toString();
	}

	/** A macro string literal. */
	static String quote(String s) {
		StringBuilder sb = new StringBuilder("\"");
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"': sb.append("\\\""); break;
				case '\\': sb.append("\\\\"); break;
				case '\n': sb.append("\\n"); break;
				case '\t': sb.append("\\t"); break;
				default: sb.append(c);
			}
		}
		return sb.append('"').toString();
	}

	/** A value as option text, before any enclosing: see {@link #formatValue(Object)}. */
	static String text(Object value) {
		if (value instanceof Double || value instanceof Float) {
			double d = ((Number) value).doubleValue();
			if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
			return value.toString();
		}
		if (value instanceof File) return ((File) value).getPath();
		if (value instanceof Path) return value.toString();
		if (value instanceof Enum) return ((Enum<?>) value).name();
		return String.valueOf(value);
	}

	private static boolean bracketsBalance(String s) {
		int depth = 0;
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '[') depth++;
			else if (c == ']' && --depth < 0) return false;
		}
		return depth == 0;
	}
}
