package sc.fiji.clip.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileInfo;
import ij.io.OpenDialog;
import ij.io.Opener;
import ij.io.TiffDecoder;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;

/**
 * Opens dataset images with ImageJ, headless-safe, turning every failure into an {@link ImageReadException} that
 * names the file.
 * <p>
 * ImageJ's {@link Opener} reports problems through {@code IJ.error} (a dialog when Fiji's window is up) and returns
 * {@code null}, and for some broken files it returns a partly black image. So {@link #inspect} first checks the file
 * cheaply from its header, without decoding pixels: that it is not empty, that its content is TIFF, PNG, JPEG, GIF or
 * BMP whatever its extension, that its declared size is sane (no allocating gigabytes for a header claiming 20000 x
 * 20000 pixels) and that it is not cut short (PNG chunks, TIFF strips, BMP rows and the JPEG end marker lie inside the
 * file). Only then does {@link #open} let ImageJ decode it, with ImageJ's error messages redirected to its log, any
 * {@link Throwable} caught, and a {@code null} result turned into an exception.
 * <p>
 * Formats: the extensions in {@link #EXTENSIONS}. ImageJ's other formats are left out on purpose: DICOM, FITS, AVI,
 * raw and ZIP-wrapped TIFF open through plugins that may ask questions or load whole volumes, and BigTIFF and
 * Bio-Formats files (CZI, ND2, LIF...) need Bio-Formats; convert those to TIFF or PNG first.
 * <p>
 * Thread safety: calls may run in parallel. ImageJ keeps some global state (the last-opened folder, the error
 * redirection flag), which {@link #open} saves and restores around the call; concurrent calls may mix up only that.
 */
public final class ImageReader {

	/** File extensions treated as images (lower case, without dot). */
	public static final List<String> EXTENSIONS = List.of("tif", "tiff", "png", "jpg", "jpeg", "bmp", "gif");

	/**
	 * Largest number of pixels (width x height x planes) accepted by default: 100 million, e.g. 10000 x 10000, about
	 * 400 MB as 32-bit floats. CLIP sees images at a few hundred pixels wide, so larger files should be downscaled.
	 */
	public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

	private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	private static final int JPEG_TAIL = 64 * 1024;

	private ImageReader() {}

	/** Whether the file name has one of the image {@link #EXTENSIONS} (case-insensitive). */
	public static boolean isImageName(String fileName) {
		String ext = extension(fileName);
		return ext != null && EXTENSIONS.contains(ext);
	}

	/** The lower-case extension of a file name, or {@code null} if it has none. */
	static String extension(String fileName) {
		int dot = fileName.lastIndexOf('.');
		if (dot <= 0 || dot == fileName.length() - 1) return null;
		return fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

	/**
	 * Opens an image with ImageJ, checking it with {@link #inspect(Path)} first.
	 *
	 * @throws ImageReadException if the file is missing, empty, not an image, truncated, corrupt, larger than
	 *             {@link #DEFAULT_MAX_PIXELS} or cannot be decoded by ImageJ
	 */
	public static ImagePlus open(Path file) {
		return open(file, DEFAULT_MAX_PIXELS);
	}

	/**
	 * Opens an image with ImageJ, refusing images with more than {@code maxPixels} pixels (width x height x planes).
	 *
	 * @throws ImageReadException if the image cannot be opened; the message names the file and the reason
	 */
	public static ImagePlus open(Path file, long maxPixels) {
		ImageHeader header = inspect(file, maxPixels);
		Path abs = file.toAbsolutePath();
		String dir = abs.getParent() == null ? "" : abs.getParent().toString() + File.separator;
		String name = abs.getFileName().toString();
		boolean redirecting = IJ.redirectingErrorMessages();
		String lastDir = OpenDialog.getLastDirectory();
		String lastName = OpenDialog.getLastName();
		ImagePlus imp;
		String ijError;
		try {
			IJ.redirectErrorMessages(true); // to IJ.log, never a dialog
			Opener opener = new Opener();
			opener.setSilentMode(true);
			// route by the content checked above, not by name (ImageJ sends e.g. *.ome.tif to Bio-Formats)
			switch (header.format()) {
				case TIFF:
					imp = opener.openTiff(dir, name);
					break;
				case PNG:
					imp = Opener.openUsingImageIO(abs.toString());
					break;
				default:
					imp = opener.openImage(dir, name);
			}
		} catch (Throwable t) {
			throw new ImageReadException(file, "ImageJ could not decode it (" + t + ")", t);
		} finally {
			ijError = IJ.getErrorMessage();
			IJ.redirectErrorMessages(redirecting);
			OpenDialog.setLastDirectory(lastDir);
			OpenDialog.setLastName(lastName);
		}
		if (imp == null || imp.getWidth() == 0 || imp.getHeight() == 0 || imp.getProcessor() == null) {
			String why = ijError == null || ijError.isBlank() ? "" : " (" + ijError.strip().replace('\n', ' ') + ")";
			throw new ImageReadException(file, "ImageJ could not decode it" + why);
		}
		return imp;
	}

	/**
	 * Checks an image file from its header without decoding pixels, with the default size limit.
	 *
	 * @throws ImageReadException if the file is missing, empty, not an image, truncated or too large
	 */
	public static ImageHeader inspect(Path file) {
		return inspect(file, DEFAULT_MAX_PIXELS);
	}

	/**
	 * Checks an image file from its header without decoding pixels: format from the content, declared size at most
	 * {@code maxPixels} (width x height x planes), structure not cut short. Cheap enough to run on every image of a
	 * dataset while scanning it.
	 *
	 * @throws ImageReadException if the file is missing, empty, not an image, truncated or too large
	 */
	public static ImageHeader inspect(Path file, long maxPixels) {
		Objects.requireNonNull(file, "file");
		if (maxPixels <= 0) throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
		if (!Files.exists(file)) {
			throw new ImageReadException(file, Files.isSymbolicLink(file) ? "broken symbolic link" : "file not found");
		}
		if (Files.isDirectory(file)) throw new ImageReadException(file, "it is a folder, not an image file");
		if (!Files.isReadable(file)) throw new ImageReadException(file, "permission denied (the file cannot be read)");
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size == 0) throw new ImageReadException(file, "empty file (0 bytes)");
			return new Inspector(file, channel, size, maxPixels).inspect();
		} catch (ImageReadException e) {
			throw e;
		} catch (IOException e) {
			throw new ImageReadException(file, "the file cannot be read (" + e.getMessage() + ")", e);
		} catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
			throw new ImageReadException(file, "corrupt image header (" + e + ")", e);
		}
	}

	/** Reads one file's header. */
	private static final class Inspector {

		private final Path file;
		private final FileChannel channel;
		private final long size;
		private final long maxPixels;

		Inspector(Path file, FileChannel channel, long size, long maxPixels) {
			this.file = file;
			this.channel = channel;
			this.size = size;
			this.maxPixels = maxPixels;
		}

		ImageHeader inspect() throws IOException {
			byte[] head = new byte[(int) Math.min(size, 64)];
			read(0, head.length).get(head);
			if (startsWith(head, PNG_SIGNATURE)) return png();
			if (head.length >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
					|| (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42))) return tiff();
			if (head.length >= 4 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 43 && head[3] == 0)
					|| (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 43))) {
				throw fail("it is a BigTIFF, which ImageJ 1 cannot open; save it as a regular TIFF or PNG");
			}
			if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
				return jpeg();
			}
			if (head.length >= 6 && new String(head, 0, 6, java.nio.charset.StandardCharsets.ISO_8859_1).matches(
					"GIF8[79]a")) return gif();
			if (head.length >= 2 && head[0] == 'B' && head[1] == 'M') {
				ImageHeader bmp = bmp();
				if (bmp != null) return bmp;
			}
			throw fail("not an image: its content is not TIFF, PNG, JPEG, GIF or BMP"
					+ (looksLikeText(head) ? " (it holds text)" : ""));
		}

		private ImageHeader png() throws IOException {
			long pos = PNG_SIGNATURE.length;
			int width = 0;
			int height = 0;
			boolean data = false;
			while (true) {
				if (pos + 8 > size) throw fail("truncated PNG: the file ends before its IEND chunk");
				ByteBuffer chunk = read(pos, 8);
				long length = chunk.getInt() & 0xFFFFFFFFL;
				byte[] type = new byte[4];
				chunk.get(type);
				String name = new String(type, java.nio.charset.StandardCharsets.ISO_8859_1);
				if (!name.matches("[A-Za-z]{4}")) throw fail("corrupt PNG: no valid chunk at byte " + pos);
				if (pos == PNG_SIGNATURE.length) {
					if (!name.equals("IHDR") || length < 13) throw fail("corrupt PNG: it does not start with IHDR");
					if (pos + 16 > size) throw fail("truncated PNG: the file ends inside its IHDR chunk");
					ByteBuffer ihdr = read(pos + 8, 8);
					width = ihdr.getInt();
					height = ihdr.getInt();
					if (width <= 0 || height <= 0) throw fail("corrupt PNG: size " + width + " x " + height);
					checkPixels(width, height, 1);
				}
				if (name.equals("IDAT")) data = true;
				if (name.equals("IEND")) break;
				long next = pos + 12 + length;
				if (next > size) {
					throw fail("truncated PNG: the file ends inside its " + name + " chunk (" + size + " bytes, "
							+ "chunk ends at byte " + next + ")");
				}
				pos = next;
			}
			if (!data) throw fail("corrupt PNG: it holds no image data (IDAT chunk)");
			return new ImageHeader(ImageHeader.Format.PNG, width, height, 1);
		}

		private ImageHeader tiff() throws IOException {
			Path abs = file.toAbsolutePath();
			String dir = abs.getParent() == null ? "" : abs.getParent().toString() + File.separator;
			FileInfo[] info;
			try {
				info = new TiffDecoder(dir, abs.getFileName().toString()).getTiffInfo();
			} catch (IOException e) {
				throw fail("corrupt TIFF (" + e.getMessage() + ")");
			}
			if (info == null || info.length == 0) throw fail("corrupt TIFF: no image ImageJ can read");
			long planes = 0;
			long pixels = 0;
			for (FileInfo fi : info) {
				if (fi.width <= 0 || fi.height <= 0) throw fail("corrupt TIFF: size " + fi.width + " x " + fi.height);
				long n = Math.max(1, fi.nImages);
				planes += n;
				pixels = saturatedAdd(pixels, saturatedMultiply((long) fi.width * fi.height, n));
			}
			if (pixels > maxPixels) {
				throw tooLarge(info[0].width + " x " + info[0].height + (planes > 1 ? " x " + planes : ""), pixels);
			}
			for (FileInfo fi : info) {
				long end = tiffDataEnd(fi);
				if (end > size) {
					throw fail("truncated TIFF: its pixel data should end at byte " + end + " but the file has only "
							+ size + " bytes");
				}
			}
			return new ImageHeader(ImageHeader.Format.TIFF, info[0].width, info[0].height, planes);
		}

		/** Where the pixel data of one TIFF image (or contiguous ImageJ stack) ends, 0 if unknown. */
		private long tiffDataEnd(FileInfo fi) {
			int[] offsets = fi.stripOffsets;
			int[] lengths = fi.stripLengths;
			if (offsets == null || lengths == null || offsets.length != lengths.length || offsets.length == 0) {
				return 0;
			}
			long end = 0;
			long planeBytes = 0;
			for (int i = 0; i < offsets.length; i++) {
				long length = lengths[i] & 0xFFFFFFFFL;
				end = Math.max(end, (offsets[i] & 0xFFFFFFFFL) + length);
				planeBytes += length;
			}
			if (fi.nImages > 1 && fi.compression == FileInfo.COMPRESSION_NONE) {
				long n = fi.nImages;
				end = Math.max(end, fi.getOffset() + n * planeBytes + (n - 1) * fi.getGap());
			}
			return end;
		}

		private ImageHeader jpeg() throws IOException {
			int[] wh = imageIoSize("jpeg", false);
			checkPixels(wh[0], wh[1], 1);
			int tail = (int) Math.min(size, JPEG_TAIL);
			ByteBuffer end = read(size - tail, tail);
			boolean eoi = false;
			for (int i = 0; i + 1 < tail; i++) {
				if ((end.get(i) & 0xFF) == 0xFF && (end.get(i + 1) & 0xFF) == 0xD9) {
					eoi = true;
					break;
				}
			}
			if (!eoi) throw fail("truncated JPEG: no end-of-image marker (FF D9) at the end of the file");
			return new ImageHeader(ImageHeader.Format.JPEG, wh[0], wh[1], 1);
		}

		private ImageHeader gif() throws IOException {
			int[] whn = imageIoSize("gif", true);
			checkPixels(whn[0], whn[1], whn[2]);
			return new ImageHeader(ImageHeader.Format.GIF, whn[0], whn[1], whn[2]);
		}

		/** Width, height and (if {@code count}) number of images through ImageIO, which reads headers only. */
		private int[] imageIoSize(String format, boolean count) {
			Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
			if (!readers.hasNext()) throw fail("no ImageIO reader for " + format + " in this Java");
			javax.imageio.ImageReader reader = readers.next();
			try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
				reader.setInput(in, false, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				if (width <= 0 || height <= 0) throw fail("corrupt " + format.toUpperCase(Locale.ROOT) + ": size "
						+ width + " x " + height);
				checkPixels(width, height, 1);
				int n = count ? reader.getNumImages(true) : 1;
				return new int[] {width, height, Math.max(1, n)};
			} catch (IOException e) {
				throw fail("corrupt " + format.toUpperCase(Locale.ROOT) + " (" + e.getMessage() + ")");
			} finally {
				reader.dispose();
			}
		}

		/** BMP from its headers, or {@code null} if the "BM" start is not followed by a BMP header. */
		private ImageHeader bmp() throws IOException {
			if (size < 26) return null;
			ByteBuffer h = read(0, (int) Math.min(size, 34)).order(ByteOrder.LITTLE_ENDIAN);
			long dataOffset = h.getInt(10) & 0xFFFFFFFFL;
			int dibSize = h.getInt(14);
			long width;
			long height;
			int bits;
			int compression = 0;
			if (dibSize == 12) {
				width = h.getShort(18) & 0xFFFF;
				height = h.getShort(20) & 0xFFFF;
				bits = h.getShort(24) & 0xFFFF;
			} else if (dibSize == 40 || dibSize == 52 || dibSize == 56 || dibSize == 64 || dibSize == 108
					|| dibSize == 124) {
				if (h.limit() < 34) throw fail("truncated BMP: the file ends inside its header");
				width = h.getInt(18);
				height = Math.abs((long) h.getInt(22));
				bits = h.getShort(28) & 0xFFFF;
				compression = h.getInt(30);
			} else {
				return null;
			}
			if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
				throw fail("corrupt BMP: size " + width + " x " + height);
			}
			checkPixels((int) width, (int) height, 1);
			if (compression == 0 || compression == 3) {
				long rowBytes = (bits * width + 31) / 32 * 4;
				long end = dataOffset + rowBytes * height;
				if (end > size) {
					throw fail("truncated BMP: its pixel data should end at byte " + end + " but the file has only "
							+ size + " bytes");
				}
			}
			return new ImageHeader(ImageHeader.Format.BMP, (int) width, (int) height, 1);
		}

		private void checkPixels(int width, int height, long planes) {
			long pixels = saturatedMultiply((long) width * height, planes);
			if (pixels > maxPixels) throw tooLarge(width + " x " + height + (planes > 1 ? " x " + planes : ""), pixels);
		}

		private ImageReadException tooLarge(String dimensions, long pixels) {
			return fail("its header declares " + dimensions + " pixels (" + megapixels(pixels) + "), more than the "
					+ "limit of " + megapixels(maxPixels) + "; downscale or crop it first (Image > Scale in Fiji)");
		}

		private ByteBuffer read(long position, int length) throws IOException {
			ByteBuffer buffer = ByteBuffer.allocate(length);
			while (buffer.hasRemaining()) {
				int n = channel.read(buffer, position + buffer.position());
				if (n < 0) throw fail("truncated file: it ends at byte " + (position + buffer.position()));
			}
			buffer.flip();
			return buffer;
		}

		private ImageReadException fail(String reason) {
			return new ImageReadException(file, reason);
		}
	}

	private static String megapixels(long pixels) {
		return pixels >= 10_000_000 ? pixels / 1_000_000 + " megapixels"
				: String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6);
	}

	private static long saturatedMultiply(long a, long b) {
		long hi = Math.multiplyHigh(a, b);
		long lo = a * b;
		return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
	}

	private static long saturatedAdd(long a, long b) {
		long s = a + b;
		return s < 0 ? Long.MAX_VALUE : s;
	}

	private static boolean startsWith(byte[] bytes, byte[] prefix) {
		if (bytes.length < prefix.length) return false;
		for (int i = 0; i < prefix.length; i++) if (bytes[i] != prefix[i]) return false;
		return true;
	}

	private static boolean looksLikeText(byte[] head) {
		int start = head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB
				&& (head[2] & 0xFF) == 0xBF ? 3 : 0;
		for (int i = start; i < head.length; i++) {
			int c = head[i] & 0xFF;
			if (c < 32 && c != '\t' && c != '\n' && c != '\r') return false;
		}
		return true;
	}
}
