package sc.fiji.clip.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user types it: a run on local[2] and its summary, and a bad option's message. */
class SparkCliTest {

	@TempDir
	Path dir;

	private int run(StringWriter err, String... args) {
		return SparkCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
	}

	@Test
	void labelRunsOnLocalMasterAndPrintsItsProgressAndSummary() throws IOException {
		Path model = TestImages.model(dir);
		Path images = TestImages.folder(Files.createDirectories(dir.resolve("images")), 6, 3);
		StringWriter err = new StringWriter();
		int code = run(err, "label", "--model", model.toString(), "--labels", TestImages.LABELS, "--partition-size", "3",
			"--master", "local[2]", "--out", dir.resolve("out").toString(), images.toString());
		assertEquals(0, code, err.toString());
		String log = err.toString();
		assertTrue(log.contains("8 image files in 3 partitions of up to 3; none done yet"), log);
		assertTrue(log.contains("partitions: 3/3 (100%)"), log);
		assertTrue(log.contains("9 planes of 7 images"), log);
		assertTrue(log.contains("1 skipped; 3 of 3 partitions run, 0 kept"), log);

		StringWriter again = new StringWriter();
		assertEquals(0, run(again, "label", "--model", model.toString(), "--labels", TestImages.LABELS, "--partition-size",
			"3", "--master", "local[2]", "--out", dir.resolve("out").toString(), images.toString()), again.toString());
		assertTrue(again.toString().contains("3 already complete, kept"), again.toString());
	}

	@Test
	void aBadOptionIsNamedWithoutAStackTrace() {
		StringWriter err = new StringWriter();
		int code = run(err, "embed", "--model", dir.resolve("m.zip").toString(), "--batch-size", "0", "--out",
			dir.resolve("o").toString(), dir.toString());
		assertEquals(SparkCli.USER_ERROR, code);
		assertTrue(err.toString().contains("--batch-size must be at least 1, not 0."), err.toString());
		assertTrue(!err.toString().contains("\tat "), err.toString());
		StringWriter device = new StringWriter();
		assertEquals(SparkCli.USER_ERROR, run(device, "embed", "--model", dir.resolve("m.zip").toString(), "--device", "tpu",
			"--out", dir.resolve("o").toString(), dir.toString()));
		assertTrue(device.toString().contains("Unknown device 'tpu': use auto, cpu or gpu."), device.toString());
	}
}
