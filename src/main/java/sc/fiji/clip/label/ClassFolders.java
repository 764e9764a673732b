package sc.fiji.clip.label;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjIntConsumer;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.DatasetLayout;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.data.ImageCaptions;

/**
 * A labelled folder, {@code DIR/<class name>/...}, labelled through the batched {@link ZeroShotLabeller}: every
 * plane's row comes with the index of its folder's class. What few-shot examples and evaluation both read.
 */
public final class ClassFolders {

	private final Path folder;
	private final CaptionDataset data;

	private ClassFolders(Path folder, CaptionDataset data) {
		this.folder = folder;
		this.data = data;
	}

	/** Scans {@code folder} as class folders (image headers checked, unreadable files reported). */
	public static ClassFolders scan(Path folder) {
		return new ClassFolders(folder, DatasetScanner.builder().layout(DatasetLayout.CLASS_FOLDERS).build().scan(folder));
	}

	/** The class names, sorted (folder names, underscores as spaces). */
	public List<String> classNames() {
		return data.classNames();
	}

	/** The first reasons of files the scan left out. */
	public List<String> skipped() {
		return data.skipReport().lines();
	}

	/**
	 * Labels every plane with {@code scorer}, keeping embeddings; {@code rows} hears each row with the index of its
	 * class in {@code classes} (which must hold every class name). Returns the labeller's summary.
	 *
	 * @throws ClipException if the run is cancelled ({@code what} names it in the message)
	 */
	public LabelSummary label(ImageScorer scorer, List<String> classes, ProgressListener progress, String what,
		ObjIntConsumer<LabelResult> rows)
	{
		Map<String, Integer> classOf = new HashMap<>();
		List<LabelInput> inputs = new ArrayList<>();
		for (ImageCaptions e : data.entries()) {
			classOf.put(e.name(), classes.indexOf(e.className().orElseThrow()));
			inputs.add(LabelInput.of(e.path(), e.name()));
		}
		LabelSummary summary = ZeroShotLabeller.builder(scorer).embeddings(true).progress(progress).build()
			.label(inputs, row -> rows.accept(row, classOf.get(row.image())));
		if (summary.cancelled()) throw new ClipException(what + " " + folder + " was cancelled.");
		return summary;
	}
}
