package sc.fiji.clip.data;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

/** Writes small images and text files for tests. */
public final class TestFiles {

	private TestFiles() {}

	/** A small 8-bit image with noise, so that compressed formats do not shrink it to nothing. */
	public static ImagePlus noise(int width, int height) {
		ImagePlus imp = IJ.createImage("test", "8-bit black", width, height, 1);
		ImageProcessor ip = imp.getProcessor();
		Random random = new Random(42);
		for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) ip.set(x, y, random.nextInt(256));
		return imp;
	}

	public static Path png(Path file) {
		return png(file, 16, 12);
	}

	public static Path png(Path file, int width, int height) {
		mkdirs(file);
		if (!new FileSaver(noise(width, height)).saveAsPng(file.toString())) throw new IllegalStateException("PNG " + file);
		return file;
	}

	public static Path tiff(Path file) {
		mkdirs(file);
		if (!new FileSaver(noise(16, 12)).saveAsTiff(file.toString())) throw new IllegalStateException("TIFF " + file);
		return file;
	}

	public static Path jpeg(Path file) {
		mkdirs(file);
		if (!new FileSaver(noise(32, 24)).saveAsJpeg(file.toString())) throw new IllegalStateException("JPEG " + file);
		return file;
	}

	public static Path text(Path file, String text) {
		return bytes(file, text.getBytes(StandardCharsets.UTF_8));
	}

	public static Path bytes(Path file, byte[] bytes) {
		mkdirs(file);
		try {
			return Files.write(file, bytes);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** Cuts a file to {@code fraction} of its length. */
	public static Path truncate(Path file, double fraction) {
		try {
			byte[] all = Files.readAllBytes(file);
			return Files.write(file, Arrays.copyOf(all, (int) (all.length * fraction)));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** A well-formed PNG header and chunks claiming {@code width x height} pixels, with almost no data. */
	public static byte[] pngClaiming(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
		ByteBuffer ihdr = ByteBuffer.allocate(13);
		ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		out.writeBytes(t);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	/**
	 * A minimal little-endian 8-bit TIFF whose tags claim {@code width x height} pixels in one uncompressed strip of
	 * {@code width * height} bytes, followed by only {@code dataBytes} bytes of data.
	 */
	public static byte[] tiffClaiming(int width, int height, int dataBytes) {
		int entries = 9;
		int dataOffset = 8 + 2 + entries * 12 + 4;
		ByteBuffer b = ByteBuffer.allocate(dataOffset + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
		b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
		b.putShort((short) entries);
		entry(b, 256, 4, width);
		entry(b, 257, 4, height);
		entry(b, 258, 3, 8);
		entry(b, 259, 3, 1);
		entry(b, 262, 3, 1);
		entry(b, 273, 4, dataOffset);
		entry(b, 277, 3, 1);
		entry(b, 278, 4, height);
		entry(b, 279, 4, width * height);
		b.putInt(0);
		return b.array();
	}

	private static void entry(ByteBuffer b, int tag, int type, int value) {
		b.putShort((short) tag).putShort((short) type).putInt(1);
		if (type == 3) b.putShort((short) value).putShort((short) 0);
		else b.putInt(value);
	}

	private static void mkdirs(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
