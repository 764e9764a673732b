package sc.fiji.clip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.label.ColourModel;

/** {@code label --tile} on a mosaic file: rows per tile, a label image whose values name the right colours, bad options refused. */
class TileCommandTest {

	@TempDir
	Path dir;

	private static final String[][] MOSAIC = { { "red", "green" }, { "blue", "black" } };

	private static String[] args(String... more) {
		List<String> all = new ArrayList<>(List.of("label", "--threads", "2", "--device", "cpu", "--model",
			ColourModel.file().toString(), "--labels", String.join(",", ColourModel.COLOURS)));
		all.addAll(Arrays.asList(more));
		return all.toArray(new String[0]);
	}

	private Path mosaic() {
		ColorProcessor cp = new ColorProcessor(64, 64);
		for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) cp.set(x, y, ColourModel.rgb(MOSAIC[y / 32][x / 32]));
		Path file = dir.resolve("mosaic.tif");
		new FileSaver(new ImagePlus("mosaic", cp)).saveAsTiff(file.toString());
		return file;
	}

	@Test
	void tilesGetRowsAndTheMapsNameTheirColours() throws IOException {
		Path maps = dir.resolve("maps");
		CliRun r = CliRun.of(args("--tile", "32", "--maps", maps.toString(), mosaic().toString()));
		assertEquals(0, r.code, r.toString());
		String[] lines = r.out.strip().split("\n");
		assertEquals("image,c,z,t,tile,x,y,size,label,score", lines[0]);
		assertTrue(lines[1].startsWith("mosaic.tif,1,1,1,1,0,0,32,red,"), lines[1]);
		assertTrue(lines[4].startsWith("mosaic.tif,1,1,1,4,32,32,32,black,"), lines[4]);
		ImagePlus labels = IJ.openImage(maps.resolve("mosaic-labels.tif").toString());
		assertEquals(2, labels.getWidth());
		assertEquals(16, labels.getBitDepth());
		assertEquals(32.0, labels.getCalibration().pixelWidth, "one pixel per 32-pixel cell");
		String info = (String) labels.getProperty("Info");
		for (int y = 0; y < 2; y++) {
			for (int x = 0; x < 2; x++) {
				int value = labels.getProcessor().get(x, y);
				assertTrue(info.contains("\n" + value + " = " + MOSAIC[y][x] + "\n"), value + " at " + x + "," + y + ": " + info);
			}
		}
		ImagePlus p = IJ.openImage(maps.resolve("mosaic-probabilities.tif").toString());
		assertEquals(ColourModel.COLOURS.size(), p.getNChannels());
	}

	@Test
	void badTileOptionsAreRefused() throws IOException {
		CliRun big = CliRun.of(args("--tile", "100", mosaic().toString()));
		assertEquals(FijiClipCli.USER_ERROR, big.code);
		assertTrue(big.err.contains("A tile of 100 x 100 pixels is larger than the image (64 x 64)"), big.err);
		CliRun stride = CliRun.of(args("--tile", "32", "--stride", "40", mosaic().toString()));
		assertEquals(FijiClipCli.USER_ERROR, stride.code);
		assertTrue(stride.err.contains("--stride must be between 1 and --tile (32)"), stride.err);
		CliRun alone = CliRun.of(args("--maps", dir.resolve("m").toString(), mosaic().toString()));
		assertEquals(FijiClipCli.USER_ERROR, alone.code);
		assertTrue(alone.err.contains("go with --tile"), alone.err);
		Path blocker = dir.resolve("blocker.txt");
		java.nio.file.Files.writeString(blocker, "a file, not a folder");
		CliRun under = CliRun.of(args("--tile", "32", "--maps", blocker.resolve("maps").toString(), mosaic().toString()));
		assertEquals(FijiClipCli.USER_ERROR, under.code);
		assertTrue(under.err.contains("Cannot create the folder " + blocker.resolve("maps") + " (--maps)"), under.err);
		CliRun folder = CliRun.of(args("--tile", "32", dir.toString()));
		assertEquals(FijiClipCli.USER_ERROR, folder.code);
		assertTrue(folder.err.contains("is a folder. Give its files"), folder.err);
	}
}
