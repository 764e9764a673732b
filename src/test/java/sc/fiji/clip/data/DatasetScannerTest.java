package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.imagej.ImageReader;

class DatasetScannerTest {

	@TempDir
	Path dir;

	@TempDir
	Path elsewhere;

	private static CaptionDataset scan(Path folder) {
		return DatasetScanner.defaults().scan(folder);
	}

	private static List<String> names(CaptionDataset d) {
		List<String> names = new ArrayList<>();
		for (ImageCaptions e : d.entries()) names.add(e.name());
		return names;
	}

	private static boolean reported(CaptionDataset d, String file, String reason) {
		for (String line : d.skipReport().lines()) if (line.startsWith(file) && line.contains(reason)) return true;
		return false;
	}

	// ---------------------------------------------------------------- layouts

	@Test
	void captionTableIsDetectedWithCounts() {
		TestFiles.png(dir.resolve("img/a.png"));
		TestFiles.tiff(dir.resolve("img/b.tif"));
		TestFiles.png(dir.resolve("c.png"));
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\n"
				+ "img/a.png,a round cell\n"
				+ "img/b.tif,a long cell\n"
				+ "c.png,a dividing cell\n"
				+ "c.png,two daughter cells\n");
		CaptionDataset d = scan(dir);
		assertEquals(DatasetLayout.CAPTION_TABLE, d.layout());
		assertEquals(List.of("c.png", "img/a.png", "img/b.tif"), names(d));
		assertEquals(3, d.imageCount());
		assertEquals(4, d.captionCount());
		assertEquals("captions.csv: 3 images, 4 captions, 0 skipped", d.describe());
		ImageCaptions c = d.entries().get(0);
		assertEquals(List.of("a dividing cell", "two daughter cells"), c.captions());
		assertEquals(d.root().resolve("c.png"), c.path());
		assertTrue(Files.isRegularFile(c.path()));
		assertEquals(Optional.empty(), c.className());
		assertTrue(d.classNames().isEmpty());
	}

	@Test
	void sidecarTextIsDetectedWithOneCaptionPerNonBlankLine() {
		TestFiles.tiff(dir.resolve("cell_01.tif"));
		TestFiles.text(dir.resolve("cell_01.txt"), "a round cell\n\n  bright nucleus  \n");
		TestFiles.png(dir.resolve("sub/cell_02.png"));
		TestFiles.text(dir.resolve("sub/cell_02.txt"), "an elongated cell");
		TestFiles.png(dir.resolve("cell_03.png")); // no sidecar
		CaptionDataset d = scan(dir);
		assertEquals(DatasetLayout.SIDECAR_TEXT, d.layout());
		assertEquals(List.of("cell_01.tif", "sub/cell_02.png"), names(d));
		assertEquals(List.of("a round cell", "bright nucleus"), d.entries().get(0).captions());
		assertEquals(3, d.captionCount());
		assertEquals(1, d.skipReport().count());
		assertTrue(reported(d, "cell_03.png", "no caption file cell_03.txt"), d.skipReport().summary());
		assertEquals("sidecar .txt files: 2 images, 3 captions, 1 skipped", d.describe());
	}

	@Test
	void classFoldersAreDetectedWithSortedClassNamesAndTemplateCaptions() {
		TestFiles.png(dir.resolve("mitotic_cell/a.png"));
		TestFiles.png(dir.resolve("mitotic_cell/b.png"));
		TestFiles.png(dir.resolve("mitotic_cell/deeper/c.png"));
		TestFiles.tiff(dir.resolve("apoptotic/d.tif"));
		TestFiles.text(dir.resolve("empty_class/readme.md"), "nothing here");
		CaptionDataset d = scan(dir);
		assertEquals(DatasetLayout.CLASS_FOLDERS, d.layout());
		assertEquals(List.of("apoptotic", "mitotic cell"), d.classNames());
		assertEquals(4, d.imageCount());
		ImageCaptions c = d.entries().get(d.entries().size() - 1);
		assertEquals("mitotic_cell/deeper/c.png", c.name());
		assertEquals(Optional.of("mitotic cell"), c.className());
		assertEquals(List.of("a photo of a mitotic cell."), c.captions());
		assertEquals("class folders: 2 classes, 4 images, 4 captions, 0 skipped", d.describe());
	}

	@Test
	void classFoldersUseGivenTemplatesAndReportLooseImages() {
		TestFiles.png(dir.resolve("nucleus/a.png"));
		TestFiles.png(dir.resolve("loose.png"));
		Path templates = TestFiles.text(elsewhere.resolve("templates.txt"), "a {}.\nan image of a {}\n");
		CaptionDataset d = DatasetScanner.builder().templates(CaptionTemplates.fromFile(templates)).build().scan(dir);
		assertEquals(List.of("a nucleus.", "an image of a nucleus"), d.entries().get(0).captions());
		assertEquals(2, d.templates().size());
		assertTrue(reported(d, "loose.png", "not in a class subfolder"), d.skipReport().summary());
	}

	@Test
	void captionTableWinsOverSidecarsAndSidecarsOverClassFolders() {
		TestFiles.png(dir.resolve("cls/a.png"));
		TestFiles.text(dir.resolve("cls/a.txt"), "from the sidecar");
		assertEquals(DatasetLayout.SIDECAR_TEXT, scan(dir).layout());
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\ncls/a.png,from the table\n");
		CaptionDataset d = scan(dir);
		assertEquals(DatasetLayout.CAPTION_TABLE, d.layout());
		assertEquals(List.of("from the table"), d.entries().get(0).captions());
	}

	@Test
	void layoutCanBeForced() {
		TestFiles.png(dir.resolve("cls/a.png"));
		TestFiles.text(dir.resolve("cls/a.txt"), "from the sidecar");
		CaptionDataset d = DatasetScanner.builder().layout(DatasetLayout.CLASS_FOLDERS).build().scan(dir);
		assertEquals(DatasetLayout.CLASS_FOLDERS, d.layout());
		assertEquals(List.of("cls"), d.classNames());
		assertThrows(DatasetException.class,
				() -> DatasetScanner.builder().layout(DatasetLayout.CAPTION_TABLE).build().scan(dir));
	}

	// ---------------------------------------------------------------- caption table formats

	@Test
	void openClipFilepathTitleColumnsAreRecognised() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("captions.csv"), "title,filepath\n\"a cell\",a.png\n");
		CaptionDataset d = scan(dir);
		assertEquals(List.of("a cell"), d.entries().get(0).captions());
	}

	@Test
	void customColumnsAndSemicolonSeparator() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.png(dir.resolve("b.png"));
		TestFiles.text(dir.resolve("captions.csv"), "id;File;Description\n1;a.png;first, with a comma\n2;b.png;second\n");
		CaptionDataset d = DatasetScanner.builder().imageColumn("file").captionColumn("description").separator(';')
				.build().scan(dir);
		assertEquals(2, d.imageCount());
		assertEquals(List.of("first, with a comma"), d.entries().get(0).captions());
	}

	@Test
	void semicolonSeparatorIsFoundWhenTheHeaderNeedsIt() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("captions.csv"), "image;caption\na.png;a cell, round\n");
		CaptionDataset d = scan(dir);
		assertEquals(List.of("a cell, round"), d.entries().get(0).captions());
	}

	@Test
	void tsvTableIsReadWithTabs() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("captions.tsv"), "filepath\ttitle\na.png\ta cell, round; bright\n");
		CaptionDataset d = scan(dir);
		assertEquals("captions.tsv", d.source());
		assertEquals(List.of("a cell, round; bright"), d.entries().get(0).captions());
	}

	@Test
	void quotedCommasNewlinesBomAndCrlf() {
		TestFiles.png(dir.resolve("a b.png"));
		TestFiles.png(dir.resolve("c.png"));
		TestFiles.text(dir.resolve("captions.csv"), "\uFEFFimage,caption\r\n"
				+ "\"a b.png\",\"round, bright \"\"cell\"\"\"\r\n"
				+ "\r\n"
				+ "c.png,\"line one\r\nline two\"\r\n");
		CaptionDataset d = scan(dir);
		assertEquals(List.of("a b.png", "c.png"), names(d));
		assertEquals(List.of("round, bright \"cell\""), d.entries().get(0).captions());
		assertEquals(List.of("line one\nline two"), d.entries().get(1).captions());
		assertTrue(d.skipReport().isEmpty());
	}

	@Test
	void invalidUtf8InTableNamesFileAndLine() {
		TestFiles.png(dir.resolve("a.png"));
		byte[] bytes = "image,caption\na.png,ok\na.png,caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
		TestFiles.bytes(dir.resolve("captions.csv"), bytes);
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir));
		assertTrue(e.getMessage().contains("captions.csv"), e.getMessage());
		assertTrue(e.getMessage().contains("line 3"), e.getMessage());
		assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
	}

	@Test
	void missingColumnsNameTheHeaderFound() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("captions.csv"), "file,text\na.png,a cell\n");
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir));
		assertTrue(e.getMessage().contains("\"file\", \"text\""), e.getMessage());
		assertTrue(e.getMessage().contains("image,caption"), e.getMessage());
	}

	@Test
	void shortRowsAndEmptyCaptionsAreSkippedAndReported() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\na.png,ok\na.png\na.png,   \n,no image\n");
		CaptionDataset d = scan(dir);
		assertEquals(1, d.captionCount());
		assertEquals(3, d.skipReport().count());
		assertTrue(reported(d, "captions.csv line 3", "column \"caption\" is number 2"), d.skipReport().summary());
		assertTrue(reported(d, "a.png (captions.csv line 4)", "empty caption"), d.skipReport().summary());
		assertTrue(reported(d, "captions.csv line 5", "no image path"), d.skipReport().summary());
	}

	@Test
	void longCaptionsAreKeptButCounted() {
		TestFiles.png(dir.resolve("a.png"));
		String longCaption = "x".repeat(DatasetScanner.LONG_CAPTION_CHARS + 1);
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\na.png," + longCaption + "\na.png,short\n");
		CaptionDataset d = scan(dir);
		assertEquals(List.of(longCaption, "short"), d.entries().get(0).captions());
		assertEquals(1, d.skipReport().longCaptions());
		assertTrue(d.describe().endsWith("1 caption over 1000 characters"), d.describe());
	}

	@Test
	void duplicateRowsAreCollapsedAcrossSpellingsOfThePath() {
		TestFiles.png(dir.resolve("img/a.png"));
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\nimg/a.png,a cell\n./img/a.png,a cell\n"
				+ "img/../img/a.png, a cell \nimg/a.png,another\n");
		CaptionDataset d = scan(dir);
		assertEquals(1, d.imageCount());
		assertEquals(List.of("a cell", "another"), d.entries().get(0).captions());
		assertEquals(2, d.skipReport().duplicatesCollapsed());
		assertEquals(0, d.skipReport().count());
	}

	// ---------------------------------------------------------------- rows that cannot be used

	@Test
	void pathsOutsideTheFolderAreRejectedAndReported() throws IOException {
		Path root = Files.createDirectories(dir.resolve("data"));
		TestFiles.png(root.resolve("ok.png"));
		Path outside = TestFiles.png(dir.resolve("x.png"));
		Path far = TestFiles.png(elsewhere.resolve("far.png"));
		Files.createSymbolicLink(root.resolve("link.png"), far);
		TestFiles.text(root.resolve("captions.csv"), "image,caption\nok.png,fine\n../x.png,sneaky\n"
				+ outside.toAbsolutePath() + ",absolute\nlink.png,linked out\n"
				+ root.resolve("ok.png").toAbsolutePath() + ",absolute inside\n");
		CaptionDataset d = scan(root);
		assertEquals(List.of("ok.png"), names(d));
		assertEquals(List.of("fine", "absolute inside"), d.entries().get(0).captions());
		assertEquals(3, d.skipReport().count());
		assertTrue(reported(d, "../x.png", "outside the dataset folder"), d.skipReport().summary());
		assertTrue(reported(d, outside.toAbsolutePath().toString(), "outside the dataset folder"),
				d.skipReport().summary());
		assertTrue(reported(d, "link.png", "symbolic link"), d.skipReport().summary());
	}

	@Test
	void missingAndNonImageFilesAreReported() {
		TestFiles.png(dir.resolve("a.png"));
		TestFiles.text(dir.resolve("notes.txt"), "hello");
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\na.png,ok\ngone.png,missing\nnotes.txt,text\n"
				+ "sub,folder\n");
		TestFiles.png(dir.resolve("sub/b.png"));
		CaptionDataset d = scan(dir);
		assertEquals(1, d.imageCount());
		assertEquals(3, d.skipReport().count());
		assertTrue(reported(d, "gone.png", "file not found"), d.skipReport().summary());
		assertTrue(reported(d, "notes.txt", "not an image file"), d.skipReport().summary());
		assertTrue(reported(d, "sub", "folder"), d.skipReport().summary());
		assertEquals("captions.csv: 1 image, 1 caption, 3 skipped", d.describe());
	}

	@Test
	void corruptImagesAreSkippedWhenScannedAndFailWhenOpened() {
		TestFiles.png(dir.resolve("good.png"));
		Path cut = TestFiles.truncate(TestFiles.png(dir.resolve("cut.png"), 64, 64), 0.5);
		Path text = TestFiles.text(dir.resolve("text.png"), "not really a picture");
		Path empty = TestFiles.bytes(dir.resolve("empty.png"), new byte[0]);
		TestFiles.text(dir.resolve("captions.csv"),
				"image,caption\ngood.png,ok\ncut.png,cut\ntext.png,text\nempty.png,empty\n");
		CaptionDataset d = scan(dir);
		assertEquals(List.of("good.png"), names(d));
		assertTrue(reported(d, "cut.png", "truncated PNG"), d.skipReport().summary());
		assertTrue(reported(d, "text.png", "not an image"), d.skipReport().summary());
		assertTrue(reported(d, "empty.png", "empty file"), d.skipReport().summary());

		CaptionDataset unchecked = DatasetScanner.builder().checkImages(false).build().scan(dir);
		assertEquals(4, unchecked.imageCount());
		List<String> failed = new ArrayList<>();
		for (ImageCaptions e : unchecked.entries()) {
			try {
				ImageReader.open(e.path());
			} catch (ImageReadException ex) {
				failed.add(ex.file().getFileName().toString());
			}
		}
		assertEquals(List.of("cut.png", "empty.png", "text.png"), failed);
		assertTrue(Files.exists(cut) && Files.exists(text) && Files.exists(empty));
	}

	@Test
	void unreadableFileIsReported() throws IOException {
		Path locked = TestFiles.png(dir.resolve("locked.png"));
		TestFiles.png(dir.resolve("a.png"));
		Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\na.png,ok\nlocked.png,locked\n");
		CaptionDataset d = scan(dir);
		if (Files.isReadable(locked)) {
			// root reads every file whatever its permissions: then the image is simply used
			assertEquals(2, d.imageCount(), d.skipReport().summary());
		} else {
			assertTrue(reported(d, "locked.png", "permission denied"), d.skipReport().summary());
			assertEquals(1, d.imageCount());
		}
	}

	@Test
	void nothingUsableNamesTheFolderAndFirstReasons() {
		TestFiles.text(dir.resolve("captions.csv"), "image,caption\ngone.png,missing\n../up.png,out\n");
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir));
		assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
		assertTrue(e.getMessage().contains("gone.png (captions.csv line 2): file not found"), e.getMessage());
		assertTrue(e.getMessage().contains("../up.png"), e.getMessage());
	}

	@Test
	void skipReportKeepsTheFirstLinesButCountsAll() {
		TestFiles.png(dir.resolve("a.png"));
		StringBuilder csv = new StringBuilder("image,caption\na.png,ok\n");
		for (int i = 0; i < 30; i++) csv.append("missing").append(i).append(".png,x\n");
		TestFiles.text(dir.resolve("captions.csv"), csv.toString());
		CaptionDataset d = DatasetScanner.builder().maxReportLines(5).build().scan(dir);
		assertEquals(30, d.skipReport().count());
		assertEquals(5, d.skipReport().lines().size());
		assertTrue(d.skipReport().summary().contains("... and 25 more"), d.skipReport().summary());
	}

	// ---------------------------------------------------------------- folders

	@Test
	void emptyFolderGivesTheClearError() {
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir));
		assertTrue(e.getMessage().startsWith("No captions.csv, no sidecar .txt files and no class subfolders found in "
				+ dir.toAbsolutePath() + "; see README for the three layouts."), e.getMessage());
	}

	@Test
	void imagesWithoutCaptionsGiveAdvice() {
		TestFiles.png(dir.resolve("a.png"));
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir));
		assertTrue(e.getMessage().contains("holds 1 image but nothing gives their captions"), e.getMessage());
	}

	@Test
	void missingFolderIsAnError() {
		DatasetException e = assertThrows(DatasetException.class, () -> scan(dir.resolve("nope")));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}

	@Test
	void hiddenFilesAndFoldersAreIgnored() {
		TestFiles.png(dir.resolve("cls/a.png"));
		TestFiles.png(dir.resolve("cls/._a.png"));
		TestFiles.png(dir.resolve(".thumbnails/b.png"));
		CaptionDataset d = scan(dir);
		assertEquals(List.of("cls/a.png"), names(d));
		assertEquals(List.of("cls"), d.classNames());
	}

	@Test
	void symlinkLoopDoesNotHang() throws IOException {
		TestFiles.png(dir.resolve("cls/a.png"));
		Files.createSymbolicLink(dir.resolve("cls/loop"), dir);
		Files.createSymbolicLink(dir.resolve("cls/self"), dir.resolve("cls"));
		CaptionDataset d = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> scan(dir));
		assertEquals(List.of("cls/a.png"), names(d));
		assertTrue(reported(d, "cls/loop/", "scanned already"), d.skipReport().summary());
		assertTrue(reported(d, "cls/self/", "scanned already"), d.skipReport().summary());
	}

	@Test
	void scanOrderIsSortedAndRepeatable() {
		for (String n : new String[] {"b/2.png", "a/10.png", "a/1.png", "c/x.png"}) TestFiles.png(dir.resolve(n));
		CaptionDataset first = scan(dir);
		assertEquals(List.of("a/1.png", "a/10.png", "b/2.png", "c/x.png"), names(first));
		assertEquals(names(first), names(scan(dir)));
		assertFalse(first.entries().isEmpty());
	}
}
