package sc.fiji.clip.label;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import sc.fiji.clip.ClipException;

/**
 * The labels to choose from in zero-shot labelling, in the user's order: at least one, none blank, no two equal.
 * <p>
 * Leading and trailing white space is removed from every label; the rest is kept exactly (commas, quotes, case), and
 * equality is exact after that. A single label is allowed: every image then gets it with probability 1.
 */
public final class LabelSet {

	private final List<String> labels;

	private LabelSet(List<String> labels) {
		this.labels = Collections.unmodifiableList(labels);
	}

	/**
	 * Labels given in code.
	 *
	 * @throws ClipException if the list is empty, a label is blank, or a label appears twice; the message names them
	 */
	public static LabelSet of(List<String> labels) {
		Objects.requireNonNull(labels, "labels");
		List<String> where = new ArrayList<>(labels.size());
		for (int i = 0; i < labels.size(); i++) where.add("label " + (i + 1));
		return check(labels, where, "the label list");
	}

	/** Labels given in code. */
	public static LabelSet of(String... labels) {
		return of(List.of(labels));
	}

	/**
	 * Labels separated by commas, such as {@code "cell, nucleus, background"}; a label that contains a comma must
	 * come from a file instead.
	 *
	 * @throws ClipException if there is no label, an entry is blank (e.g. {@code "a,,b"}) or a label appears twice
	 */
	public static LabelSet parseList(String commaSeparated) {
		Objects.requireNonNull(commaSeparated, "commaSeparated");
		if (commaSeparated.isBlank()) {
			throw new ClipException("No labels given: the label list is empty. Give labels separated by commas, such as "
				+ "\"cell,nucleus,background\", or a labels file with one label per line.");
		}
		String[] parts = commaSeparated.split(",", -1);
		List<String> where = new ArrayList<>(parts.length);
		for (int i = 0; i < parts.length; i++) where.add("label " + (i + 1));
		return check(List.of(parts), where, "the label list \"" + commaSeparated + "\"");
	}

	/**
	 * Labels from a UTF-8 text file, one per line. Empty lines at the end of the file are ignored; any other blank
	 * line is an error, as is a label given twice.
	 *
	 * @throws ClipException if the file cannot be read, is not UTF-8, or holds no label, a blank line or a duplicate;
	 *             the message names the file and line
	 */
	public static LabelSet fromFile(Path file) {
		Objects.requireNonNull(file, "file");
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (IOException e) {
			throw new ClipException("Cannot read the labels file " + file + " (" + e.getMessage() + "). Check that it "
				+ "exists and that you may read it.", e);
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
		} catch (CharacterCodingException e) {
			throw new ClipException("The labels file " + file + " is not UTF-8 text. Save it with the UTF-8 encoding and "
				+ "try again.", e);
		}
		if (text.startsWith("\uFEFF")) text = text.substring(1);
		List<String> lines = new ArrayList<>(List.of(text.split("\r\n|\r|\n", -1)));
		while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
		if (lines.isEmpty()) {
			throw new ClipException("The labels file " + file + " holds no label. Write one label per line.");
		}
		List<String> where = new ArrayList<>(lines.size());
		for (int i = 0; i < lines.size(); i++) where.add("line " + (i + 1));
		return check(lines, where, "the labels file " + file);
	}

	private static LabelSet check(List<String> raw, List<String> where, String source) {
		if (raw.isEmpty()) {
			throw new ClipException("No labels given: " + source + " is empty. Give at least one label.");
		}
		List<String> labels = new ArrayList<>(raw.size());
		Map<String, Integer> first = new HashMap<>();
		for (int i = 0; i < raw.size(); i++) {
			String label = Objects.requireNonNull(raw.get(i), "label").strip();
			if (label.isEmpty()) {
				String at = where.get(i);
				throw new ClipException(Character.toUpperCase(at.charAt(0)) + at.substring(1) + " of " + source + " is "
					+ (raw.get(i).isEmpty() ? "empty" : "blank (only spaces)") + ". Remove it or write a label there.");
			}
			Integer seen = first.putIfAbsent(label, i);
			if (seen != null) {
				throw new ClipException("The label \"" + label + "\" appears twice in " + source + " (" + where.get(seen)
					+ " and " + where.get(i) + "). Give each label once.");
			}
			labels.add(label);
		}
		return new LabelSet(labels);
	}

	/** The labels in the order given. */
	public List<String> labels() {
		return labels;
	}

	/** Number of labels. */
	public int size() {
		return labels.size();
	}

	/** The label at {@code index} (0-based). */
	public String get(int index) {
		return labels.get(index);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof LabelSet && labels.equals(((LabelSet) o).labels);
	}

	@Override
	public int hashCode() {
		return labels.hashCode();
	}

	@Override
	public String toString() {
		return labels.size() <= 5 ? labels.toString() : labels.size() + " labels " + labels.subList(0, 5) + "...";
	}
}
