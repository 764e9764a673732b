package sc.fiji.clip.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which of a list of class names a captioned image shows: the one name whose words its captions contain, as whole
 * words and ignoring case and punctuation ("a Red cell." names "red cell"). What training's validation accuracy
 * ({@code --val-labels}) and {@code evaluate} on a captioned folder both count as the truth.
 */
public final class CaptionClasses {

	/** {@link #classOf} of captions naming none of the classes. */
	public static final int NONE = -1;

	/** {@link #classOf} of captions naming more than one class. */
	public static final int SEVERAL = -2;

	private final List<String> names;
	private final List<String> words = new ArrayList<>();

	private CaptionClasses(List<String> names) {
		this.names = names;
		for (String name : names) words.add(words(name));
	}

	/** The classes {@code names}, sorted and without repeats (blank names dropped). */
	public static CaptionClasses of(Collection<String> names) {
		TreeSet<String> sorted = new TreeSet<>();
		for (String n : names) if (!n.isBlank()) sorted.add(n.trim());
		return new CaptionClasses(new ArrayList<>(sorted));
	}

	/** The class names, sorted. */
	public List<String> names() {
		return names;
	}

	/** The index in {@link #names()} of the one class {@code captions} name, else {@link #NONE} or {@link #SEVERAL}. */
	public int classOf(List<String> captions) {
		int found = NONE;
		for (String caption : captions) {
			String c = words(caption);
			for (int k = 0; k < words.size(); k++) {
				if (c.contains(words.get(k))) {
					if (found >= 0 && found != k) return SEVERAL;
					found = k;
				}
			}
		}
		return found;
	}

	/** Lower case, every run of other characters than letters and digits one space: "Red cell!" is " red cell ". */
	private static String words(String text) {
		return " " + text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim() + " ";
	}
}
