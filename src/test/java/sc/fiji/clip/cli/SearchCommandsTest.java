package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ColourModel;

/**
 * {@code index}, {@code search} and {@code embed} as a user types them, with the tiny colour model: a text finds its
 * colour first, an unwanted term pushes its colour down, the montage and CSV are written, and bad input is refused
 * with a message and exit code 2.
 */
class SearchCommandsTest {

	@TempDir
	Path dir;

	private static String[] args(String command, String... more) {
		List<String> all = new ArrayList<>(List.of(command, "--threads", "2", "--device", "cpu"));
		all.addAll(Arrays.asList(more));
		return all.toArray(new String[0]);
	}

	private Path collection() {
		Path images = dir.resolve("images");
		for (int i = 0; i < 3; i++) {
			ColourModel.save(images.resolve("red" + i + ".png"), "red", 16 + i, 16);
			ColourModel.save(images.resolve("blue" + i + ".png"), "blue", 16, 16 + i);
			ColourModel.save(images.resolve("green" + i + ".png"), "green", 16 + i, 16 + i);
		}
		return images;
	}

	private static List<String> hitNames(String csv) {
		List<String> names = new ArrayList<>();
		String[] lines = csv.strip().split("\n");
		for (int i = 1; i < lines.length; i++) {
			String path = lines[i].split(",")[2];
			names.add(Path.of(path).getFileName().toString().replaceAll("[0-9].*", ""));
		}
		return names;
	}

	@Test
	void indexThenSearchByTextFindsTheColourFirstAndDrawsAMontage() throws IOException {
		Path index = dir.resolve("index");
		CliRun i = CliRun.of(args("index", "--model", ColourModel.file().toString(), "--out", index.toString(),
			collection().toString()));
		assertEquals(0, i.code, i.toString());
		assertTrue(i.err.contains("9 rows: 9 files embedded"), i.err);
		Path montage = dir.resolve("hits.png");
		CliRun s = CliRun.of(args("search", "--index", index.toString(), "--text", "red", "--top-k", "4", "--montage",
			montage.toString()));
		assertEquals(0, s.code, s.toString());
		assertTrue(s.out.startsWith("rank,score,image,c,z,t\n1,"), s.out);
		assertEquals(List.of("red", "red", "red"), hitNames(s.out).subList(0, 3), s.out);
		assertEquals(4, hitNames(s.out).size());
		assertTrue(ImageIO.read(montage.toFile()).getWidth() >= 4 * 128, "four thumbnails side by side");

		CliRun minus = CliRun.of(args("search", "--index", index.toString(), "--text", "red", "--minus", "blue",
			"--top-k", "9"));
		assertEquals(0, minus.code, minus.toString());
		List<String> order = hitNames(minus.out);
		assertEquals(List.of("blue", "blue", "blue"), order.subList(6, 9), "unwanted blue comes last: " + minus.out);

		Files.delete(dir.resolve("images/red0.png"));
		CliRun gone = CliRun.of(args("search", "--index", index.toString(), "--text", "red", "--top-k", "3", "--montage",
			dir.resolve("gone.png").toString()));
		assertEquals(0, gone.code, "a hit whose file is gone is drawn as such, not an error: " + gone);
		assertTrue(Files.isRegularFile(dir.resolve("gone.png")));
		ColourModel.save(dir.resolve("images/red0.png"), "red", 16, 16);

		CliRun again = CliRun.of(args("index", "--model", ColourModel.file().toString(), "--out", index.toString()));
		assertEquals(0, again.code, again.toString());
		assertTrue(again.err.contains("1 file embedded (1 planes"), "the file written again is embedded again: " + again.err);
		assertTrue(again.err.contains("8 unchanged"), again.err);
	}

	@Test
	void embedWritesOneRowPerPlane() throws IOException {
		Path out = dir.resolve("e.csv");
		CliRun r = CliRun.of(args("embed", "--model", ColourModel.file().toString(), "--out", out.toString(),
			collection().toString()));
		assertEquals(0, r.code, r.toString());
		List<String> lines = Files.readAllLines(out);
		assertEquals(10, lines.size());
		assertTrue(lines.get(0).startsWith("image,c,z,t,e0,e1,"), lines.get(0));
		assertTrue(lines.get(1).startsWith("blue0.png,1,1,1,"), lines.get(1));
	}

	@Test
	void badInputIsRefusedWithAMessage() throws IOException {
		CliRun missing = CliRun.of(args("search", "--index", dir.resolve("none").toString(), "--text", "red"));
		assertEquals(FijiClipCli.USER_ERROR, missing.code);
		assertTrue(missing.err.contains("does not exist. Make it with fiji-clip index"), missing.err);
		CliRun nothing = CliRun.of(args("search", "--index", dir.toString()));
		assertEquals(FijiClipCli.USER_ERROR, nothing.code);
		assertTrue(nothing.err.contains("Nothing to search for"), nothing.err);
		Path notImage = Files.writeString(dir.resolve("q.txt"), "x");
		CliRun query = CliRun.of(args("search", "--index", dir.toString(), "--image", notImage.toString()));
		assertEquals(FijiClipCli.USER_ERROR, query.code);
		assertTrue(query.err.contains("is not an image file"), query.err);
		CliRun format = CliRun.of(args("embed", "--model", ColourModel.file().toString(), "--out",
			dir.resolve("e.xlsx").toString(), collection().toString()));
		assertEquals(FijiClipCli.USER_ERROR, format.code);
		assertTrue(format.err.contains("name it .csv, .npz or .safetensors"), format.err);
		assertFalse(Files.exists(dir.resolve("e.xlsx")));
	}
}
