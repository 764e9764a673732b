package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.RoiEncoder;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ColourModel;

/** {@code label --rois RoiSet.zip IMAGE}: one row per ROI with its name and box; bad combinations refused. */
class RoiCommandTest {

	@TempDir
	Path dir;

	private static String[] args(String... more) {
		List<String> all = new ArrayList<>(List.of("label", "--threads", "2", "--device", "cpu", "--model",
			ColourModel.file().toString(), "--labels", String.join(",", ColourModel.COLOURS)));
		all.addAll(Arrays.asList(more));
		return all.toArray(new String[0]);
	}

	private Path image() {
		ColorProcessor cp = new ColorProcessor(64, 32);
		for (int y = 0; y < 32; y++) for (int x = 0; x < 64; x++) cp.set(x, y, ColourModel.rgb(x < 32 ? "blue" : "red"));
		Path file = dir.resolve("two.png");
		new FileSaver(new ImagePlus("two", cp)).saveAsPng(file.toString());
		return file;
	}

	private Path roiSet() throws IOException {
		Path zip = dir.resolve("RoiSet.zip");
		Roi a = new Roi(4, 4, 24, 24), b = new OvalRoi(36, 4, 24, 24);
		a.setName("left cell");
		b.setName("right cell");
		try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
			for (Roi roi : List.of(a, b)) {
				z.putNextEntry(new ZipEntry(roi.getName() + ".roi"));
				z.write(RoiEncoder.saveAsByteArray(roi));
				z.closeEntry();
			}
		}
		return zip;
	}

	@Test
	void everyRoiGetsARow() throws IOException {
		CliRun r = CliRun.of(args("--rois", roiSet().toString(), "--mask", image().toString()));
		assertEquals(0, r.code, r.toString());
		String[] lines = r.out.strip().split("\n");
		assertEquals("image,c,z,t,roi,name,x,y,width,height,label,score", lines[0]);
		assertTrue(lines[1].startsWith("two.png,1,1,1,1,left cell,4,4,24,24,blue,"), lines[1]);
		assertTrue(lines[2].startsWith("two.png,1,1,1,2,right cell,36,4,24,24,red,"), lines[2]);
		CliRun all = CliRun.of(args("--rois", roiSet().toString(), "--all-scores", image().toString()));
		assertTrue(all.out.startsWith("image,c,z,t,roi,name,x,y,width,height,label,score,p:red,p:green,p:blue,p:black\n"), all.out);
	}

	@Test
	void roisNeedOneImageAndPadNeedsRois() throws IOException {
		CliRun two = CliRun.of(args("--rois", roiSet().toString(), image().toString(), image().toString()));
		assertEquals(FijiClipCli.USER_ERROR, two.code);
		assertTrue(two.err.contains("--rois labels the ROIs of one image"), two.err);
		CliRun pad = CliRun.of(args("--pad", "4", image().toString()));
		assertEquals(FijiClipCli.USER_ERROR, pad.code);
		assertTrue(pad.err.contains("--pad and --mask go with --rois"), pad.err);
		CliRun missing = CliRun.of(args("--rois", dir.resolve("none.zip").toString(), image().toString()));
		assertEquals(FijiClipCli.USER_ERROR, missing.code);
		assertTrue(missing.err.contains("none.zip does not exist"), missing.err);
	}
}
