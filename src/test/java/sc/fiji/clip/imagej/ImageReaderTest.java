package sc.fiji.clip.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.data.ImageHeader;
import sc.fiji.clip.data.ImageReadException;
import sc.fiji.clip.data.TestFiles;

class ImageReaderTest {

	private static final Duration QUICK = Duration.ofSeconds(20);

	@TempDir
	Path dir;

	@Test
	void opensPngTiffAndJpegWrittenByImageJ() {
		ImagePlus png = ImageReader.open(TestFiles.png(dir.resolve("a.png"), 16, 12));
		assertEquals(16, png.getWidth());
		assertEquals(12, png.getHeight());
		ImagePlus tif = ImageReader.open(TestFiles.tiff(dir.resolve("b.tif")));
		assertEquals(16, tif.getWidth());
		assertEquals(8, tif.getBitDepth());
		ImagePlus jpg = ImageReader.open(TestFiles.jpeg(dir.resolve("c.jpg")));
		assertEquals(32, jpg.getWidth());
		assertEquals(24, jpg.getHeight());
	}

	@Test
	void opensBmpAndGifWrittenByImageJ() {
		Path bmp = dir.resolve("d.bmp");
		Path gif = dir.resolve("e.gif");
		assertTrue(new ij.io.FileSaver(TestFiles.noise(10, 7)).saveAsBmp(bmp.toString()));
		assertTrue(new ij.io.FileSaver(TestFiles.noise(9, 5)).saveAsGif(gif.toString()));
		assertEquals(ImageHeader.Format.BMP, ImageReader.inspect(bmp).format());
		assertEquals(10, ImageReader.open(bmp).getWidth());
		assertEquals(7, ImageReader.open(bmp).getHeight());
		assertEquals(ImageHeader.Format.GIF, ImageReader.inspect(gif).format());
		assertEquals(9, ImageReader.open(gif).getWidth());
		Path cut = TestFiles.truncate(bmp, 0.5);
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.open(cut));
		assertTrue(e.reason().startsWith("truncated BMP"), e.reason());
	}

	@Test
	void inspectReadsFormatAndSizeFromContentNotExtension() {
		Path jpegNamedPng = TestFiles.jpeg(dir.resolve("photo.jpg")).resolveSibling("photo.png");
		TestFiles.bytes(jpegNamedPng, readAll(dir.resolve("photo.jpg")));
		ImageHeader header = ImageReader.inspect(jpegNamedPng);
		assertEquals(ImageHeader.Format.JPEG, header.format());
		assertEquals(32, header.width());
		assertEquals(24, header.height());
		assertEquals(ImageHeader.Format.TIFF, ImageReader.inspect(TestFiles.tiff(dir.resolve("t.tif"))).format());
	}

	@Test
	void truncatedPngThrowsNamingTheFile() {
		Path file = TestFiles.truncate(TestFiles.png(dir.resolve("cut.png"), 64, 64), 0.5);
		ImageReadException e = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(file)));
		assertEquals(file, e.file());
		assertTrue(e.reason().contains("truncated PNG"), e.reason());
		assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
	}

	@Test
	void textFileNamedPngIsNotAnImage() {
		Path file = TestFiles.text(dir.resolve("notes.png"), "these are my notes, not a picture\n");
		ImageReadException e = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(file)));
		assertTrue(e.reason().startsWith("not an image"), e.reason());
		assertTrue(e.reason().contains("text"), e.reason());
	}

	@Test
	void emptyFileIsRefused() {
		Path file = TestFiles.bytes(dir.resolve("empty.tif"), new byte[0]);
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.open(file));
		assertTrue(e.reason().contains("empty file"), e.reason());
	}

	@Test
	void missingFileIsRefused() {
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.open(dir.resolve("nope.png")));
		assertEquals("file not found", e.reason());
	}

	@Test
	void truncatedTiffAndJpegAreRefused() {
		Path tif = TestFiles.truncate(TestFiles.tiff(dir.resolve("cut.tif")), 0.6);
		ImageReadException t = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(tif)));
		assertTrue(t.reason().contains("TIFF"), t.reason());
		Path jpg = TestFiles.truncate(TestFiles.jpeg(dir.resolve("cut.jpg")), 0.6);
		ImageReadException j = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(jpg)));
		assertTrue(j.reason().contains("truncated JPEG"), j.reason());
	}

	@Test
	void pngHeaderClaimingHugeSizeIsRefusedBeforeDecoding() {
		Path file = TestFiles.bytes(dir.resolve("huge.png"), TestFiles.pngClaiming(20000, 20000));
		ImageReadException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(file)));
		assertTrue(e.reason().contains("20000 x 20000"), e.reason());
		assertTrue(e.reason().contains("400 megapixels"), e.reason());
	}

	@Test
	void tiffHeaderClaimingHugeSizeIsRefusedBeforeDecoding() {
		Path file = TestFiles.bytes(dir.resolve("huge.tif"), TestFiles.tiffClaiming(20000, 20000, 16));
		ImageReadException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(file)));
		assertTrue(e.reason().contains("20000 x 20000"), e.reason());
	}

	@Test
	void tiffWhoseStripRunsPastTheEndIsTruncated() {
		Path file = TestFiles.bytes(dir.resolve("short.tif"), TestFiles.tiffClaiming(100, 100, 16));
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.inspect(file));
		assertTrue(e.reason().startsWith("truncated TIFF"), e.reason());
		Path whole = TestFiles.bytes(dir.resolve("whole.tif"), TestFiles.tiffClaiming(100, 100, 100 * 100));
		assertEquals(100, ImageReader.open(whole).getWidth());
	}

	@Test
	void pngWhoseDataImageJCannotDecodeThrowsInsteadOfReturningNull() {
		Path file = TestFiles.bytes(dir.resolve("bad-data.png"), TestFiles.pngClaiming(4, 4));
		ImageReader.inspect(file); // the structure is fine
		ImageReadException e = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ImageReadException.class, () -> ImageReader.open(file)));
		assertTrue(e.reason().startsWith("ImageJ could not decode it"), e.reason());
	}

	@Test
	void smallerPixelLimitIsHonoured() {
		Path file = TestFiles.png(dir.resolve("a.png"), 16, 12);
		assertThrows(ImageReadException.class, () -> ImageReader.inspect(file, 100));
		assertEquals(16, ImageReader.inspect(file, 16 * 12).width());
	}

	@Test
	void bigTiffIsRefusedWithAdvice() {
		Path file = TestFiles.bytes(dir.resolve("big.tif"), new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.inspect(file));
		assertTrue(e.reason().contains("BigTIFF"), e.reason());
	}

	@Test
	void folderIsNotAnImage() {
		ImageReadException e = assertThrows(ImageReadException.class, () -> ImageReader.open(dir));
		assertTrue(e.reason().contains("folder"), e.reason());
	}

	@Test
	void imageNamesAreRecognisedByExtensionIgnoringCase() {
		assertTrue(ImageReader.isImageName("a.TIF"));
		assertTrue(ImageReader.isImageName("b.jpeg"));
		assertFalse(ImageReader.isImageName("c.txt"));
		assertFalse(ImageReader.isImageName("png"));
		assertFalse(ImageReader.isImageName("captions.csv"));
	}

	private static byte[] readAll(Path file) {
		try {
			return java.nio.file.Files.readAllBytes(file);
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
