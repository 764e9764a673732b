package sc.fiji.clip.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deterministic split of a dataset into training and validation images. All captions of an image go to the same
 * side, so validation never sees an image trained on.
 * <p>
 * Each image gets a pseudo-random rank from a hash of the seed and its relative path (not its position in the list),
 * and the lowest-ranked images go to validation. The same seed and folder therefore give the same split on every
 * machine and Java version, and adding images to a folder moves few of the old ones across. Class-folder datasets are
 * split per class so that every class with enough images appears on both sides.
 */
public final class DatasetSplit {

	private final CaptionDataset train;
	private final CaptionDataset val;

	private DatasetSplit(CaptionDataset train, CaptionDataset val) {
		this.train = train;
		this.val = val;
	}

	/** The training images. */
	public CaptionDataset train() {
		return train;
	}

	/** The validation images. */
	public CaptionDataset val() {
		return val;
	}

	/**
	 * Splits {@code dataset} by image.
	 * <p>
	 * About {@code round(valFraction * images)} images go to validation (rounded per class for class folders), at least
	 * one when {@code valFraction > 0} and there are two images or more, and at least one image always stays for
	 * training. Entries keep their order on both sides; class names, templates and the skip report are kept.
	 *
	 * @param valFraction fraction of images for validation, {@code 0 <= valFraction < 1}
	 * @param seed any number; the same seed gives the same split
	 * @throws DatasetException if {@code valFraction} is out of range
	 */
	public static DatasetSplit split(CaptionDataset dataset, double valFraction, long seed) {
		if (!(valFraction >= 0 && valFraction < 1)) {
			throw new DatasetException("The validation fraction " + valFraction + " is out of range: use a number from 0 "
					+ "(no validation) up to but not including 1, such as 0.1 for 10% of the images.");
		}
		List<ImageCaptions> entries = dataset.entries();
		int n = entries.size();
		if (valFraction == 0 || n < 2) return new DatasetSplit(dataset, dataset.withEntries(List.of()));

		Map<String, List<Ranked>> groups = new LinkedHashMap<>();
		List<Ranked> all = new ArrayList<>(n);
		for (ImageCaptions e : entries) {
			Ranked r = new Ranked(e, rank(seed, e.name()));
			all.add(r);
			String group = dataset.layout() == DatasetLayout.CLASS_FOLDERS ? e.className().orElse("") : "";
			groups.computeIfAbsent(group, g -> new ArrayList<>()).add(r);
		}
		Comparator<Ranked> byRank = Comparator.<Ranked> comparingLong(r -> r.rank)
				.thenComparing(r -> r.entry.name());
		List<Ranked> val = new ArrayList<>();
		for (List<Ranked> group : groups.values()) {
			group.sort(byRank);
			int k = (int) Math.round(group.size() * valFraction);
			val.addAll(group.subList(0, k));
		}
		if (val.isEmpty()) {
			all.sort(byRank);
			val.add(all.get(0));
		} else if (val.size() == n) {
			val.sort(byRank);
			val.remove(val.size() - 1);
		}
		Set<ImageCaptions> inVal = new HashSet<>();
		for (Ranked r : val) inVal.add(r.entry);
		List<ImageCaptions> trainEntries = new ArrayList<>();
		List<ImageCaptions> valEntries = new ArrayList<>();
		for (ImageCaptions e : entries) (inVal.contains(e) ? valEntries : trainEntries).add(e);
		return new DatasetSplit(dataset.withEntries(trainEntries), dataset.withEntries(valEntries));
	}

	/** A well-mixed 64-bit rank from the seed and the image's name (FNV-1a, then SplitMix64's finalizer). */
	static long rank(long seed, String name) {
		long h = 0xcbf29ce484222325L;
		for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
			h ^= b & 0xFF;
			h *= 0x100000001b3L;
		}
		return mix(h ^ mix(seed + 0x9E3779B97F4A7C15L));
	}

	private static long mix(long z) {
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

	private static final class Ranked {
		final ImageCaptions entry;
		final long rank;

		Ranked(ImageCaptions entry, long rank) {
			this.entry = entry;
			this.rank = rank;
		}
	}

	@Override
	public String toString() {
		return "train " + train.imageCount() + " images, val " + val.imageCount() + " images";
	}
}
