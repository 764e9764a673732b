package sc.fiji.clip.spark;

import ai.djl.Device;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** Generated test data: a small model file and folders of images (blocks of random colours, a stack, a broken file). */
final class TestImages {

	static final String LABELS = "red,green,blue,yellow,grey";

	private TestImages() {}

	/** A tiny randomly initialised model, saved as a model file. */
	static Path model(Path dir) {
		Path zip = dir.resolve("tiny.zip");
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 7, Device.cpu())) {
			ModelFiles.save(model, zip);
		}
		return zip;
	}

	/**
	 * {@code count} PNG images in {@code a/} and {@code b/} (64 px, random colour blocks), one 3-slice TIFF stack
	 * and one PNG that is not an image.
	 */
	static Path folder(Path dir, int count, long seed) throws IOException {
		Random random = new Random(seed);
		for (int i = 0; i < count; i++) {
			Path sub = Files.createDirectories(dir.resolve(i % 2 == 0 ? "a" : "b"));
			new FileSaver(new ImagePlus("i", blocks(random, 64))).saveAsPng(sub.resolve(String.format("img-%04d.png", i)).toString());
		}
		ImageStack stack = new ImageStack(48, 48);
		for (int z = 0; z < 3; z++) stack.addSlice(blocks(random, 48));
		new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(dir.resolve("stack.tif").toString());
		Files.write(dir.resolve("broken.png"), new byte[] { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3 });
		return dir;
	}

	private static ColorProcessor blocks(Random random, int size) {
		ColorProcessor cp = new ColorProcessor(size, size);
		int cell = size / 4;
		for (int by = 0; by < 4; by++) {
			for (int bx = 0; bx < 4; bx++) {
				cp.setColor(random.nextInt(1 << 24));
				cp.setRoi(bx * cell, by * cell, cell, cell);
				cp.fill();
			}
		}
		cp.resetRoi();
		return cp;
	}
}
