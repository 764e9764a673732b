package sc.fiji.clip.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Image/caption pairs found in a folder by {@link DatasetScanner}: which layout was detected, the images in sorted
 * order with their captions, the class names (class-folder layout), the caption templates and what was skipped.
 */
public final class CaptionDataset {

	private final Path root;
	private final DatasetLayout layout;
	private final String source;
	private final List<ImageCaptions> entries;
	private final List<String> classNames;
	private final CaptionTemplates templates;
	private final SkipReport skipReport;

	/**
	 * @param root the dataset folder
	 * @param layout the layout the pairs came from
	 * @param source what the captions came from, for messages: the table's file name, or the layout's short name
	 * @param entries the images with their captions
	 * @param classNames the class names, sorted (empty unless {@link DatasetLayout#CLASS_FOLDERS})
	 * @param templates the caption templates (used for class folders and zero-shot prompts)
	 * @param skipReport what was skipped
	 */
	public CaptionDataset(Path root, DatasetLayout layout, String source, List<ImageCaptions> entries,
			List<String> classNames, CaptionTemplates templates, SkipReport skipReport) {
		this.root = Objects.requireNonNull(root, "root");
		this.layout = Objects.requireNonNull(layout, "layout");
		this.source = Objects.requireNonNull(source, "source");
		this.entries = Collections.unmodifiableList(new ArrayList<>(entries));
		List<String> sorted = new ArrayList<>(classNames);
		Collections.sort(sorted);
		this.classNames = Collections.unmodifiableList(sorted);
		this.templates = Objects.requireNonNull(templates, "templates");
		this.skipReport = Objects.requireNonNull(skipReport, "skipReport");
	}

	/** The dataset folder (absolute, symbolic links resolved). */
	public Path root() {
		return root;
	}

	/** The layout detected (or forced). */
	public DatasetLayout layout() {
		return layout;
	}

	/** What the captions came from: {@code "captions.csv"}, {@code "sidecar .txt files"} or {@code "class folders"}. */
	public String source() {
		return source;
	}

	/** The images with their captions, sorted by relative path. */
	public List<ImageCaptions> entries() {
		return entries;
	}

	/** Number of images. */
	public int imageCount() {
		return entries.size();
	}

	/** Number of captions over all images. */
	public int captionCount() {
		int n = 0;
		for (ImageCaptions e : entries) n += e.captions().size();
		return n;
	}

	/** The class names, sorted; empty unless the layout is {@link DatasetLayout#CLASS_FOLDERS}. */
	public List<String> classNames() {
		return classNames;
	}

	/** The caption templates (the default ones unless others were given). */
	public CaptionTemplates templates() {
		return templates;
	}

	/** What the scan skipped or noticed. */
	public SkipReport skipReport() {
		return skipReport;
	}

	/** Splits by image into training and validation sets; see {@link DatasetSplit#split}. */
	public DatasetSplit split(double valFraction, long seed) {
		return DatasetSplit.split(this, valFraction, seed);
	}

	/** The same dataset with other entries (a subset, for splits). */
	CaptionDataset withEntries(List<ImageCaptions> subset) {
		return new CaptionDataset(root, layout, source, subset, classNames, templates, skipReport);
	}

	/**
	 * A one-line summary, e.g. {@code "captions.csv: 120 images, 240 captions, 3 skipped"} or
	 * {@code "class folders: 3 classes, 90 images, 90 captions, 0 skipped"}.
	 */
	public String describe() {
		StringBuilder sb = new StringBuilder(source).append(": ");
		if (layout == DatasetLayout.CLASS_FOLDERS) sb.append(count(classNames.size(), "class", "classes")).append(", ");
		sb.append(count(imageCount(), "image", "images")).append(", ")
				.append(count(captionCount(), "caption", "captions")).append(", ")
				.append(skipReport.count()).append(" skipped");
		if (skipReport.duplicatesCollapsed() > 0) {
			sb.append(", ").append(count(skipReport.duplicatesCollapsed(), "duplicate", "duplicates")).append(" collapsed");
		}
		if (skipReport.longCaptions() > 0) {
			sb.append(", ").append(count(skipReport.longCaptions(), "caption", "captions")).append(" over ")
					.append(DatasetScanner.LONG_CAPTION_CHARS).append(" characters");
		}
		return sb.toString();
	}

	private static String count(int n, String one, String many) {
		return n + " " + (n == 1 ? one : many);
	}

	@Override
	public String toString() {
		return describe();
	}
}
