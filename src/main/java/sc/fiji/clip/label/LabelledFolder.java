package sc.fiji.clip.label;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionClasses;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetLayout;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.data.ImageCaptions;

/**
 * A folder of images that each have one known class, labelled through the batched {@link ZeroShotLabeller}: every
 * plane's row comes with the index of its image's class. Class folders, {@code DIR/<class name>/...}, are what
 * few-shot examples and evaluation read; a captioned folder (caption table or sidecar texts) with a list of class
 * names is what evaluation also reads, each image's class the one name its captions contain ({@link CaptionClasses}).
 */
public final class LabelledFolder {

	private final Path folder;
	private final CaptionDataset data;
	private final List<String> classNames;
	private final List<ImageCaptions> entries = new ArrayList<>();
	private final Map<String, String> classOf = new HashMap<>();
	private final List<String> skipped = new ArrayList<>();

	private LabelledFolder(Path folder, CaptionDataset data, CaptionClasses fromCaptions) {
		this.folder = folder;
		this.data = data;
		this.classNames = fromCaptions != null ? fromCaptions.names() : data.classNames();
		skipped.addAll(data.skipReport().lines());
		List<String> none = new ArrayList<>(), several = new ArrayList<>();
		for (ImageCaptions e : data.entries()) {
			String name = e.className().orElse(null);
			if (fromCaptions != null) {
				int c = fromCaptions.classOf(e.captions());
				if (c == CaptionClasses.NONE) none.add(e.name());
				else if (c == CaptionClasses.SEVERAL) several.add(e.name());
				name = c >= 0 ? classNames.get(c) : null;
			}
			if (name == null) continue;
			entries.add(e);
			classOf.put(e.name(), name);
		}
		leftOut(none, "name none of the classes");
		leftOut(several, "name more than one of the classes");
	}

	private void leftOut(List<String> images, String why) {
		if (images.isEmpty()) return;
		skipped.add(images.size() + " image(s) whose captions " + why + " (" + String.join(", ", images.subList(0,
			Math.min(3, images.size()))) + (images.size() > 3 ? ", ..." : "") + ") are left out");
	}

	/** Scans {@code folder} as class folders (image headers checked, unreadable files reported). */
	public static LabelledFolder scan(Path folder) {
		return new LabelledFolder(folder,
			DatasetScanner.builder().layout(DatasetLayout.CLASS_FOLDERS).build().scan(folder), null);
	}

	/**
	 * Scans {@code folder} in any layout: class folders, whose names are the classes ({@code classes}, if given, must
	 * be the same names), or a captioned folder, where each image's class is the one of {@code classes} its captions
	 * name (images naming none or several are left out and reported).
	 *
	 * @throws ClipException if {@code classes} differ from the class folders' names, or a captioned folder comes
	 *             without at least two of them
	 */
	public static LabelledFolder scan(Path folder, List<String> classes) {
		CaptionDataset data = DatasetScanner.defaults().scan(folder);
		if (classes.isEmpty()) return new LabelledFolder(folder, classFolders(data, folder), null);
		CaptionClasses names = CaptionClasses.of(classes);
		if (data.layout() == DatasetLayout.CLASS_FOLDERS) {
			if (!names.names().equals(data.classNames())) {
				throw new ClipException(folder + " holds class folders, whose names are the classes (" + String.join(", ",
					data.classNames()) + "); the class names " + String.join(", ", names.names()) + " differ. Leave them "
					+ "out, or give a captioned folder (captions.csv or .txt files).");
			}
			return new LabelledFolder(folder, data, null);
		}
		if (names.names().size() < 2) {
			throw new ClipException("Give at least two class names for " + folder + " (comma list), was '"
				+ String.join(",", classes) + "'.");
		}
		return new LabelledFolder(folder, data, names);
	}

	/**
	 * The class names the labels of a folder are: {@code classes} if given, else the names of its class folders
	 * (without reading any image).
	 */
	public static List<String> classNames(Path folder, List<String> classes) {
		if (!classes.isEmpty()) return CaptionClasses.of(classes).names();
		return classFolders(DatasetScanner.builder().checkImages(false).build().scan(folder), folder).classNames();
	}

	private static CaptionDataset classFolders(CaptionDataset data, Path folder) {
		if (data.layout() != DatasetLayout.CLASS_FOLDERS) {
			throw new ClipException(folder + " is captioned (" + data.layout().shortName() + "), not class folders: give "
				+ "the class names its captions contain (evaluate --val-labels NAMES; in Fiji, the classes of a captioned "
				+ "folder).");
		}
		return data;
	}

	/** The folder scanned. */
	public Path folder() {
		return folder;
	}

	/** The class names, sorted (folder names with underscores as spaces, or the names given). */
	public List<String> classNames() {
		return classNames;
	}

	/** How the folder gives classes, e.g. "class folders" or "caption table". */
	public String layout() {
		return data.layout().shortName();
	}

	/** The first reasons of files the scan left out, and the captioned images that name no single class. */
	public List<String> skipped() {
		return skipped;
	}

	/**
	 * Labels every plane with {@code scorer}, keeping embeddings; {@code rows} hears each row with the index of its
	 * class in {@code classes} (which must hold every class name). Returns the labeller's summary.
	 *
	 * @throws ClipException if no image has a class, or the run is cancelled ({@code what} names it in the message)
	 */
	public LabelSummary label(ImageScorer scorer, List<String> classes, ProgressListener progress, String what,
		ObjIntConsumer<LabelResult> rows)
	{
		if (entries.isEmpty()) {
			throw new ClipException(what + " " + folder + ": no image has a class" + (skipped.isEmpty() ? "."
				: " (" + String.join("; ", skipped) + ")."));
		}
		Map<String, Integer> index = new HashMap<>();
		List<LabelInput> inputs = new ArrayList<>();
		for (ImageCaptions e : entries) {
			index.put(e.name(), classes.indexOf(classOf.get(e.name())));
			inputs.add(LabelInput.of(e.path(), e.name()));
		}
		LabelSummary summary = ZeroShotLabeller.builder(scorer).embeddings(true).progress(progress).build()
			.label(inputs, row -> rows.accept(row, index.get(row.image())));
		if (summary.cancelled()) throw new ClipException(what + " " + folder + " was cancelled.");
		return summary;
	}
}
