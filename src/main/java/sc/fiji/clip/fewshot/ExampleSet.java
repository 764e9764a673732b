package sc.fiji.clip.fewshot;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.DatasetScanner;
import sc.fiji.clip.label.LabelledFolder;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.model.ClipModel;

/**
 * A lab's labelled examples: the L2-normalised image embeddings of a few images per class, with their classes.
 * <p>
 * Read from class folders, {@code DIR/<class name>/...} (nested folders belong to their top folder; underscores in
 * folder names read as spaces, as in training), every plane of every image one example, encoded by the same
 * batched pipeline as labelling. Unreadable images are skipped and reported; an examples folder with fewer than two
 * classes, or a class folder with no readable image, is refused with a message that says what to do.
 */
public final class ExampleSet {

	private final LabelSet classes;
	private final float[][] embeddings;
	private final int[] classOf;
	private final int[] counts;
	private final List<String> skipped;

	private ExampleSet(LabelSet classes, float[][] embeddings, int[] classOf, List<String> skipped) {
		this.classes = classes;
		this.embeddings = embeddings;
		this.classOf = classOf;
		this.skipped = List.copyOf(skipped);
		counts = new int[classes.size()];
		for (int c : classOf) counts[c]++;
	}

	/**
	 * Examples given directly: {@code embeddings[i]} (L2-normalised) is an example of {@code classes.get(classOf[i])}.
	 *
	 * @throws ClipException unless every class has at least one example and there are at least two classes
	 */
	public static ExampleSet of(LabelSet classes, float[][] embeddings, int[] classOf) {
		Objects.requireNonNull(classes, "classes");
		if (embeddings.length != classOf.length) {
			throw new IllegalArgumentException(embeddings.length + " embeddings but " + classOf.length + " classes");
		}
		ExampleSet set = new ExampleSet(classes, embeddings, classOf, List.of());
		set.check("the examples");
		return set;
	}

	/**
	 * Reads and encodes the class folders under {@code folder} with {@code model}.
	 *
	 * @throws ClipException if the folder has fewer than two class folders, a class folder has no readable image, or
	 *             nothing could be read; the message names the folder
	 */
	public static ExampleSet read(ClipModel model, Path folder, ProgressListener progress) {
		LabelledFolder data = LabelledFolder.scan(folder);
		LabelSet classes = LabelSet.of(data.classNames());
		List<String> skipped = new ArrayList<>(data.skipped());
		checkClassFolders(data, folder);
		List<float[]> vectors = new ArrayList<>();
		List<Integer> classList = new ArrayList<>();
		LabelSummary summary;
		try (ZeroShotClassifier text = ZeroShotClassifier.create(model, classes)) {
			summary = data.label(text, classes.labels(), progress, "Reading the examples in", (row, c) -> {
				vectors.add(row.embedding());
				classList.add(c);
			});
		}
		skipped.addAll(summary.skipLines());
		int[] classOf = classList.stream().mapToInt(Integer::intValue).toArray();
		ExampleSet set = new ExampleSet(classes, vectors.toArray(new float[0][]), classOf, skipped);
		set.check("the examples folder " + folder);
		return set;
	}

	/** Refuses class folders that gave no example: an empty folder would otherwise silently drop its class. */
	private static void checkClassFolders(LabelledFolder data, Path folder) {
		List<String> empty = new ArrayList<>();
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(folder, Files::isDirectory)) {
			for (Path dir : dirs) {
				String name = dir.getFileName().toString();
				if (name.startsWith(".")) continue;
				if (!data.classNames().contains(DatasetScanner.className(name))) empty.add(name);
			}
		} catch (IOException e) {
			throw new ClipException("Cannot list the examples folder " + folder + ": " + e.getMessage(), e);
		}
		if (!empty.isEmpty()) {
			throw new ClipException("The class folder" + (empty.size() == 1 ? " " : "s ") + String.join(", ", empty)
				+ " in " + folder + " ha" + (empty.size() == 1 ? "s" : "ve") + " no image that can be read. Put at least "
				+ "one example image in each class folder, or remove the empty ones.");
		}
	}

	private void check(String what) {
		if (classes.size() < 2) {
			throw new ClipException("In " + what + " there " + (classes.size() == 1 ? "is only the class '"
				+ classes.get(0) + "'" : "are no classes") + ". Few-shot labelling chooses between classes: give at "
				+ "least two class folders, DIR/<class name>/, with a few images each.");
		}
		List<String> missing = new ArrayList<>();
		for (int c = 0; c < counts.length; c++) if (counts[c] == 0) missing.add(classes.get(c));
		if (!missing.isEmpty()) {
			throw new ClipException("In " + what + " no image of " + String.join(", ", missing) + " could be read"
				+ (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")") + ". Give each class at least "
				+ "one readable image.");
		}
	}

	/** The classes, sorted by name (the class folders' names, underscores as spaces). */
	public LabelSet classes() {
		return classes;
	}

	/** Number of examples. */
	public int size() {
		return classOf.length;
	}

	/** Dimension of the embeddings. */
	public int dimension() {
		return embeddings[0].length;
	}

	/** The normalised embedding of example {@code i} (not a copy). */
	public float[] embedding(int i) {
		return embeddings[i];
	}

	/** The class index of example {@code i}. */
	public int classOf(int i) {
		return classOf[i];
	}

	/** Examples per class, in class order. */
	public int[] counts() {
		return counts.clone();
	}

	/** The smallest number of examples of any class. */
	public int fewestPerClass() {
		return Arrays.stream(counts).min().orElse(0);
	}

	/** The embeddings row after row, [examples x dimension]. */
	public float[] flatEmbeddings() {
		int d = dimension();
		float[] flat = new float[size() * d];
		for (int i = 0; i < size(); i++) System.arraycopy(embeddings[i], 0, flat, i * d, d);
		return flat;
	}

	/** The first skip reasons ({@code "file: reason"}) of the images left out. */
	public List<String> skipped() {
		return skipped;
	}

	/** E.g. {@code "3 classes, 48 examples (16 to 16 per class)"}. */
	public String describe() {
		int most = Arrays.stream(counts).max().orElse(0);
		return classes.size() + " classes, " + size() + " examples (" + (most == fewestPerClass() ? most + " each"
			: fewestPerClass() + " to " + most + " per class") + ")";
	}
}
