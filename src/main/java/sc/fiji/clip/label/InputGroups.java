package sc.fiji.clip.label;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.imagej.ImageFiles;
import sc.fiji.clip.imagej.ImageReader;
import sc.fiji.clip.imagej.PlaneFiles;

/**
 * The plane groups of labelling inputs: an image in memory is one group, a file one, a folder one per image file under
 * it (sorted, recursively). Files are read as training reads them: single-plane PNG, JPEG, BMP and GIF files as
 * Pillow does ({@link ImageFiles#readRgb}; alpha dropped), TIFFs and multi-frame GIFs through ImageJ, plane by plane
 * as displayed.
 */
final class InputGroups {

	private InputGroups() {}

	/**
	 * The groups of {@code inputs}; files whose headers cannot be read go to {@code skips}.
	 *
	 * @throws ClipException if there is nothing at all: no image files and nothing skipped
	 */
	static List<PlaneGroup> of(List<LabelInput> inputs, boolean mergeChannels, Skips skips) {
		List<PlaneGroup> groups = new ArrayList<>();
		List<String> empty = new ArrayList<>();
		for (LabelInput input : inputs) {
			if (input.image() != null) {
				groups.add(input.image().planes(input.name(), mergeChannels));
			} else if (input.isFolder()) {
				List<Path> files = FolderImages.list(input.path(), skips);
				if (files.isEmpty()) empty.add(input.path().toString());
				for (Path rel : files) addFile(groups, FolderImages.name(rel), input.path().resolve(rel), mergeChannels, skips);
			} else {
				addFile(groups, input.name(), input.path(), mergeChannels, skips);
			}
		}
		if (groups.isEmpty() && skips.count() == 0) {
			throw new ClipException("No image files found in " + String.join(", ", empty) + ". Fiji CLIP reads files "
				+ "ending in ." + String.join(", .", ImageReader.EXTENSIONS) + " (searched recursively; hidden files "
				+ "are ignored).");
		}
		return groups;
	}

	private static void addFile(List<PlaneGroup> groups, String name, Path file, boolean merge, Skips skips) {
		try {
			groups.add(new ImageFile(name, file, ImageReader.inspect(file), merge));
		} catch (ImageReadException e) {
			skips.add(name, e.reason());
		}
	}

	/** An image file, opened when its turn comes and flushed after. */
	private static final class ImageFile implements PlaneGroup {
		private final String name;
		private final Path file;
		private final ImageHeader header;
		private final boolean merge;

		ImageFile(String name, Path file, ImageHeader header, boolean merge) {
			this.name = name;
			this.file = file;
			this.header = header;
			this.merge = merge;
		}

		@Override
		public String name() {
			return name;
		}

		@Override
		public Path file() {
			return file;
		}

		@Override
		public long estimate() {
			return header.planes();
		}

		@Override
		public boolean skippable() {
			return true;
		}

		@Override
		public PlaneGroup.Planes open() throws ImageReadException {
			return PlaneFiles.open(file, header, merge);
		}
	}
}
