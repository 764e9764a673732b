package sc.fiji.clip.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionDataset;
import sc.fiji.clip.data.ImageCaptions;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.imagej.ImageFiles;

/**
 * Images of one split decoded once into an {@link ImageCache} at the model's input size, with their captions and
 * class names. Images that fail to decode are left out and listed in {@link #unreadable()}.
 */
final class TrainingData implements AutoCloseable {

	/** Notified as images are decoded. */
	interface Progress {
		void decoded(int done, int total);
	}

	private final ImageCache images;
	private final List<List<String>> captions = new ArrayList<>();
	private final List<String> classes = new ArrayList<>();
	private final List<String> unreadable;

	private TrainingData(ImageCache images, List<String> unreadable) {
		this.images = images;
		this.unreadable = unreadable;
	}

	static TrainingData decode(CaptionDataset dataset, ClipImageProcessor processor, int size, Progress progress,
		BooleanSupplier cancelled)
	{
		List<ImageCaptions> entries = dataset.entries();
		RgbImage[] decoded = new RgbImage[entries.size()];
		String[] errors = new String[entries.size()];
		AtomicInteger done = new AtomicInteger();
		IntStream.range(0, entries.size()).parallel().forEach(i -> {
			if (cancelled.getAsBoolean()) return;
			Path file = entries.get(i).path();
			try {
				decoded[i] = processor.resizeAndCrop(ImageFiles.readRgb(file));
			} catch (RuntimeException e) {
				errors[i] = entries.get(i).name() + ": " + (e instanceof ClipException ? e.getMessage() : e.toString());
			}
			int n = done.incrementAndGet();
			if (progress != null && (n % 64 == 0 || n == entries.size())) progress.decoded(n, entries.size());
		});
		List<String> unreadable = new ArrayList<>();
		int good = 0;
		for (int i = 0; i < entries.size(); i++) {
			if (decoded[i] != null) good++;
			else if (errors[i] != null) unreadable.add(errors[i]);
		}
		TrainingData data = new TrainingData(new ImageCache(good, size), unreadable);
		int k = 0;
		for (int i = 0; i < entries.size(); i++) {
			if (decoded[i] == null) continue;
			data.images.put(k++, decoded[i]);
			ImageCaptions e = entries.get(i);
			data.captions.add(e.captions());
			Optional<String> cls = e.className();
			data.classes.add(cls.orElse(null));
			decoded[i] = null;
		}
		return data;
	}

	int size() {
		return images.count();
	}

	RgbImage image(int i) {
		return images.get(i);
	}

	List<String> captions(int i) {
		return captions.get(i);
	}

	/** Class name of image {@code i}, or null when the dataset has no classes. */
	String className(int i) {
		return classes.get(i);
	}

	List<String> unreadable() {
		return Collections.unmodifiableList(unreadable);
	}

	boolean inMemory() {
		return images.inMemory();
	}

	@Override
	public void close() {
		images.close();
	}
}
