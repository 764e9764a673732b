package sc.fiji.clip.label;

import java.nio.file.Path;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.image.RgbImage;

/**
 * A run of planes that an {@link EncodingPipeline} encodes in order: one image file, one open image, or the tiles or
 * regions of an image. Opened when its turn comes, so a folder of files holds one file's pixels at a time.
 */
public interface PlaneGroup {

	/** The name its planes' rows carry. */
	String name();

	/** The number of planes expected before opening (from a file header, say), for progress; corrected on opening. */
	long estimate();

	/** The file read, or null when the planes come from memory. */
	default Path file() {
		return null;
	}

	/** Whether a group that cannot be read is skipped and reported (files) rather than failing the run. */
	boolean skippable();

	/**
	 * Opens the group for reading.
	 *
	 * @throws ImageReadException if it cannot be read
	 */
	Planes open() throws ImageReadException;

	/** The planes of an opened group, read one at a time as RGB, as displayed. */
	interface Planes extends AutoCloseable {

		/** Number of planes. */
		int count();

		/** {c, z, t} (1-based; c = 0 for a composite of channels) of plane {@code i} (0-based). */
		int[] position(int i);

		/** Plane {@code i} (0-based) as 8-bit RGB. */
		RgbImage rgb(int i);

		@Override
		void close();
	}
}
