package sc.fiji.clip.label;

import ij.ImagePlus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.data.ImageReader;
import sc.fiji.clip.image.ImageFiles;
import sc.fiji.clip.image.RgbImage;

/**
 * The plane groups of labelling inputs: an open image is one group, a file one, a folder one per image file under
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
				groups.add(new OpenImage(input.name(), input.image(), mergeChannels));
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

	/** The planes an ImageJ image shows. */
	static Planes planes(ImagePlus imp, boolean merge, Runnable onClose) {
		PlaneReader reader = new PlaneReader(imp, merge);
		return new Planes(reader, onClose);
	}

	/** An open image's planes (never skipped: a failure is the caller's to see). */
	private static final class OpenImage implements PlaneGroup {
		private final String name;
		private final ImagePlus image;
		private final boolean merge;
		private final int count;

		OpenImage(String name, ImagePlus image, boolean merge) {
			this.name = name;
			this.image = image;
			this.merge = merge;
			this.count = new PlaneReader(image, merge).count();
		}

		@Override
		public String name() {
			return name;
		}

		@Override
		public long estimate() {
			return count;
		}

		@Override
		public boolean skippable() {
			return false;
		}

		@Override
		public PlaneGroup.Planes open() {
			return planes(image, merge, () -> {});
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
			if (header.format() != ImageHeader.Format.TIFF && header.planes() == 1) {
				return new SinglePlane(ImageFiles.readRgb(file));
			}
			ImagePlus imp = ImageReader.open(file);
			return planes(imp, merge, imp::flush);
		}
	}

	private static final class Planes implements PlaneGroup.Planes {
		private final PlaneReader reader;
		private final Runnable onClose;

		Planes(PlaneReader reader, Runnable onClose) {
			this.reader = reader;
			this.onClose = onClose;
		}

		@Override
		public int count() {
			return reader.count();
		}

		@Override
		public int[] position(int i) {
			return reader.position(i);
		}

		@Override
		public RgbImage rgb(int i) {
			return reader.rgb(i);
		}

		@Override
		public void close() {
			onClose.run();
		}
	}

	private static final class SinglePlane implements PlaneGroup.Planes {
		private final RgbImage rgb;

		SinglePlane(RgbImage rgb) {
			this.rgb = rgb;
		}

		@Override
		public int count() {
			return 1;
		}

		@Override
		public int[] position(int i) {
			return new int[] { 1, 1, 1 };
		}

		@Override
		public RgbImage rgb(int i) {
			return rgb;
		}

		@Override
		public void close() {}
	}
}
