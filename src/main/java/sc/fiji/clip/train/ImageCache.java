package sc.fiji.clip.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.image.RgbImage;

/**
 * Decoded, resized and cropped training images, {@code size x size} RGB bytes each, in one block: on the Java heap
 * when they fit comfortably, otherwise in a memory-mapped temporary file (the operating system keeps as much of it
 * in RAM as it can). Each image is decoded once per training, not once per epoch.
 */
final class ImageCache implements AutoCloseable {

	private static final long CHUNK = 1L << 30;

	private final int size;
	private final int bytesPerImage;
	private final int count;
	private final byte[] heap;
	private final MappedByteBuffer[] mapped;
	private final Path file;
	private final int imagesPerChunk;

	ImageCache(int count, int size) {
		this.size = size;
		this.count = count;
		this.bytesPerImage = size * size * 3;
		long total = (long) count * bytesPerImage;
		imagesPerChunk = (int) (CHUNK / bytesPerImage);
		if (total <= Integer.MAX_VALUE - 8 && total < Runtime.getRuntime().maxMemory() / 4) {
			heap = new byte[(int) total];
			mapped = null;
			file = null;
		} else {
			heap = null;
			try {
				file = Files.createTempFile("fiji-clip-images", ".cache");
				file.toFile().deleteOnExit();
				int chunks = (count + imagesPerChunk - 1) / imagesPerChunk;
				mapped = new MappedByteBuffer[chunks];
				try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
					for (int c = 0; c < chunks; c++) {
						long images = Math.min(imagesPerChunk, count - (long) c * imagesPerChunk);
						mapped[c] = ch.map(FileChannel.MapMode.READ_WRITE, c * (long) imagesPerChunk * bytesPerImage,
							images * bytesPerImage);
					}
				}
			} catch (IOException e) {
				throw new ClipException("Cannot cache " + count + " training images (" + total / 1_000_000 + " MB) on disk in "
					+ System.getProperty("java.io.tmpdir") + ": " + e.getMessage() + ". Free disk space or give Java more "
					+ "memory (-Xmx).", e);
			}
		}
	}

	/** Whether the images live on the Java heap (else in a mapped file). */
	boolean inMemory() {
		return heap != null;
	}

	void put(int index, RgbImage image) {
		if (image.width() != size || image.height() != size) throw new IllegalArgumentException("expected " + size + " px");
		if (heap != null) System.arraycopy(image.data(), 0, heap, index * bytesPerImage, bytesPerImage);
		else slice(index).put(image.data());
	}

	RgbImage get(int index) {
		byte[] data = new byte[bytesPerImage];
		if (heap != null) System.arraycopy(heap, index * bytesPerImage, data, 0, bytesPerImage);
		else slice(index).get(data);
		return new RgbImage(size, size, data);
	}

	private ByteBuffer slice(int index) {
		ByteBuffer b = mapped[index / imagesPerChunk].duplicate();
		b.position((index % imagesPerChunk) * bytesPerImage);
		return b;
	}

	int count() {
		return count;
	}

	@Override
	public void close() {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			} catch (IOException e) {
				// deleted on exit
			}
		}
	}
}
