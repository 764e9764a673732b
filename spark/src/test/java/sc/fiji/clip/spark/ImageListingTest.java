package sc.fiji.clip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;

class ImageListingTest {

	@TempDir
	Path dir;

	private List<String> names(List<String> uris) {
		return uris.stream().map(u -> u.substring(u.indexOf(dir.getFileName().toString()) + dir.getFileName().toString()
			.length() + 1)).collect(Collectors.toList());
	}

	private void touch(String... names) throws IOException {
		for (String n : names) {
			Path p = dir.resolve(n);
			Files.createDirectories(p.getParent());
			Files.write(p, new byte[] { 1 });
		}
	}

	@Test
	void aFolderGivesItsImagesSortedLeavingOutHiddenAndOtherFiles() throws IOException {
		touch("b/2.png", "a/1.tif", "a/notes.txt", ".hidden/3.png", "_temporary/4.png", "a/.5.png", "c/6.JPG");
		assertEquals(List.of("a/1.tif", "b/2.png", "c/6.JPG"), names(ImageListing.list(List.of(dir.toString()),
			new Configuration())));
	}

	@Test
	void aTextFileOfPathsAndAGlobAreReadAndMergedWithoutDuplicates() throws IOException {
		touch("x/1.png", "x/2.png", "y/3.png");
		Files.writeString(dir.resolve("list.txt"), "# mine\nx/1.png\n\n" + dir.resolve("y/3.png") + "\n");
		List<String> all = ImageListing.list(List.of(dir.resolve("list.txt").toString(), dir + "/x/*.png"),
			new Configuration());
		assertEquals(List.of("x/1.png", "x/2.png", "y/3.png"), names(all));
		assertTrue(all.get(0).startsWith("file:/"), all.get(0));
	}

	@Test
	void missingInputsAndEmptyListingsSayWhat() throws IOException {
		ClipException missing = assertThrows(ClipException.class, () -> ImageListing.list(List.of(dir.resolve("nope")
			.toString()), new Configuration()));
		assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
		Files.writeString(dir.resolve("list.txt"), "gone.png\n");
		ClipException line = assertThrows(ClipException.class, () -> ImageListing.list(List.of(dir.resolve("list.txt")
			.toString()), new Configuration()));
		assertTrue(line.getMessage().contains("line 1: gone.png does not exist"), line.getMessage());
		Files.createDirectories(dir.resolve("empty"));
		ClipException empty = assertThrows(ClipException.class, () -> ImageListing.list(List.of(dir.resolve("empty")
			.toString()), new Configuration()));
		assertTrue(empty.getMessage().startsWith("No image files in"), empty.getMessage());
		ClipException glob = assertThrows(ClipException.class, () -> ImageListing.list(List.of(dir + "/*.gif"),
			new Configuration()));
		assertTrue(glob.getMessage().startsWith("Nothing matches"), glob.getMessage());
	}
}
