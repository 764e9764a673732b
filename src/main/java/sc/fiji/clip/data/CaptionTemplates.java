package sc.fiji.clip.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sentences that turn a class name into captions, such as {@code "a photo of a {}."}: {@code {}} marks where the class
 * name goes. Used to caption class-folder datasets and to build zero-shot prompts.
 * <p>
 * A templates file holds one template per line; blank lines and lines starting with {@code #} are ignored, duplicates
 * are kept once, and every template must contain {@code {}}.
 */
public final class CaptionTemplates {

	/** Where the class name goes in a template. */
	public static final String PLACEHOLDER = "{}";

	/** The template used when none is given. */
	public static final String DEFAULT_TEMPLATE = "a photo of a {}.";

	private static final CaptionTemplates DEFAULT = new CaptionTemplates(List.of(DEFAULT_TEMPLATE));

	private final List<String> templates;

	private CaptionTemplates(List<String> templates) {
		this.templates = Collections.unmodifiableList(new ArrayList<>(templates));
	}

	/** The single default template {@value #DEFAULT_TEMPLATE}. */
	public static CaptionTemplates defaults() {
		return DEFAULT;
	}

	/**
	 * Templates given in code.
	 *
	 * @throws DatasetException if there are none or one lacks {@code {}}
	 */
	public static CaptionTemplates of(List<String> templates) {
		Objects.requireNonNull(templates, "templates");
		Set<String> kept = new LinkedHashSet<>();
		for (int i = 0; i < templates.size(); i++) {
			String t = Objects.requireNonNull(templates.get(i), "template").strip();
			check(t, "template " + (i + 1) + " (\"" + t + "\")");
			kept.add(t);
		}
		if (kept.isEmpty()) throw new DatasetException("No caption templates given. Give at least one, such as \""
				+ DEFAULT_TEMPLATE + "\".");
		return new CaptionTemplates(new ArrayList<>(kept));
	}

	/** Templates given in code. */
	public static CaptionTemplates of(String... templates) {
		return of(List.of(templates));
	}

	/**
	 * Templates from text, one per line.
	 *
	 * @throws DatasetException if no line holds a template or one lacks {@code {}}; the message names the line
	 */
	public static CaptionTemplates parse(String text) {
		return parse(text, "template text");
	}

	/**
	 * Templates from a UTF-8 text file, one per line.
	 *
	 * @throws DatasetException if the file cannot be read, is not UTF-8, holds no template or a template lacks
	 *             {@code {}}; the message names the file and line
	 */
	public static CaptionTemplates fromFile(Path file) {
		Objects.requireNonNull(file, "file");
		return parse(TextFiles.readUtf8(file), "templates file " + file);
	}

	private static CaptionTemplates parse(String text, String source) {
		Objects.requireNonNull(text, "text");
		String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
		List<String> lines = TextFiles.lines(body);
		Set<String> kept = new LinkedHashSet<>();
		for (int i = 0; i < lines.size(); i++) {
			String t = lines.get(i).strip();
			if (t.isEmpty() || t.startsWith("#")) continue;
			check(t, source + ", line " + (i + 1) + " (\"" + t + "\")");
			kept.add(t);
		}
		if (kept.isEmpty()) {
			throw new DatasetException(capitalize(source) + " holds no template. Write one template per line, each with "
					+ PLACEHOLDER + " where the class name goes, such as \"" + DEFAULT_TEMPLATE + "\".");
		}
		return new CaptionTemplates(new ArrayList<>(kept));
	}

	private static void check(String template, String where) {
		if (template.isEmpty()) {
			throw new DatasetException("Caption " + where + " is empty. Write a sentence with " + PLACEHOLDER
					+ " where the class name goes, such as \"" + DEFAULT_TEMPLATE + "\".");
		}
		if (!template.contains(PLACEHOLDER)) {
			throw new DatasetException(capitalize(where) + " has no " + PLACEHOLDER + " to show where the class name "
					+ "goes. Add it, for example \"" + DEFAULT_TEMPLATE + "\".");
		}
	}

	private static String capitalize(String s) {
		return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
	}

	/** The templates, in file order, without duplicates. */
	public List<String> templates() {
		return templates;
	}

	/** Number of templates. */
	public int size() {
		return templates.size();
	}

	/** One caption per template, with every {@code {}} replaced by {@code label}. */
	public List<String> apply(String label) {
		Objects.requireNonNull(label, "label");
		List<String> captions = new ArrayList<>(templates.size());
		for (String t : templates) captions.add(t.replace(PLACEHOLDER, label));
		return Collections.unmodifiableList(captions);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof CaptionTemplates && templates.equals(((CaptionTemplates) o).templates);
	}

	@Override
	public int hashCode() {
		return templates.hashCode();
	}

	@Override
	public String toString() {
		return templates.size() == 1 ? "template \"" + templates.get(0) + "\"" : templates.size() + " templates";
	}
}
