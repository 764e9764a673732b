package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandService;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.fiji.macro.MacroCommandBridge;
import sc.fiji.clip.fiji.macro.MacroRunner;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/** The ClipService keeps models loaded for the commands, and labels and embeds for scripts as the commands do. */
class ClipServiceTest {

	private static Context context;
	private static ClipService clip;
	private static MacroRunner runner;

	@TempDir
	static Path tmp;

	@BeforeAll
	static void boot() {
		HeadlessImageJ.boot();
		context = new Context(CommandService.class, ClipService.class);
		clip = context.service(ClipService.class);
		runner = new MacroRunner(context);
	}

	@AfterAll
	static void dispose() {
		MacroCommandBridge.uninstall(context);
		context.dispose();
	}

	/** A 3-plane 8-bit stack of noise, saved as a TIFF for macros to open. */
	private static ImagePlus noise(String name) {
		Random random = new Random(7);
		ImageStack stack = new ImageStack(48, 40);
		for (int z = 0; z < 3; z++) {
			byte[] pixels = new byte[48 * 40];
			random.nextBytes(pixels);
			stack.addSlice(new ByteProcessor(48, 40, pixels));
		}
		ImagePlus imp = new ImagePlus(name, stack);
		IJ.saveAsTiff(imp, tmp.resolve(name).toString());
		return imp;
	}

	/** A copy of a model folder, so that no other test has loaded it. */
	private static Path copy(Path folder, Path to) {
		try {
			Files.createDirectories(to);
			try (Stream<Path> files = Files.list(folder)) {
				for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, to.resolve(f.getFileName()));
			}
			return to;
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String labelImages(Path model, String image) {
		return "open('" + tmp.resolve(image) + "');\n"
			+ "run('Label Images...', 'model=[" + model + "] images=[current image] folder=[] labels=[a cat,a banana,a cell] "
			+ "topk=2 slicelabels=false device=cpu results=true');\n"
			+ "close();\n";
	}

	@Test
	void aMacroLabellingThreeTimesLoadsTheModelOnce() {
		Path model = copy(Fixtures.hfClipTiny(), tmp.resolve("macro-model"));
		noise("three.tif");
		long before = clip.cache().loads();
		MacroRunner.Result r = runner.run("run('Clear Results');\n" + labelImages(model, "three.tif")
			+ labelImages(model, "three.tif") + labelImages(model, "three.tif") + "return '' + nResults;", null);
		assertTrue(r.success(), r::toString);
		assertEquals("3", r.returnValue(), "three planes, the table replaced each time");
		assertEquals(1, clip.cache().loads() - before, "one load for three runs");
		assertTrue(clip.cache().holds(model, ai.djl.Device.cpu()));
	}

	@Test
	void theScriptingApiLabelsAnImagePlusAndAnImgLib2ImageAsTheCommandDoes() {
		Path model = Fixtures.hfClipTiny();
		ImagePlus imp = noise("same.tif");
		MacroRunner.Result r = runner.run("run('Clear Results');\n" + labelImages(model, "same.tif"), null);
		assertTrue(r.success(), r::toString);
		ResultsTable table = ResultsTable.getResultsTable();
		assertEquals(3, table.size());

		List<String> labels = List.of("a cat", "a banana", "a cell");
		List<LabelResult> fromImage = clip.label(model.toFile(), imp, labels, 2);
		ArrayImg<UnsignedByteType, ByteArray> img = ArrayImgs.unsignedBytes(48, 40, 3);
		Cursor<UnsignedByteType> c = img.cursor();
		for (int z = 1; z <= 3; z++) {
			byte[] plane = (byte[]) imp.getStack().getPixels(z);
			for (byte b : plane) c.next().set(b & 0xff);
		}
		List<LabelResult> fromImg = clip.label(model.toFile(), img, labels, 2);

		assertEquals(3, fromImage.size());
		assertEquals(3, fromImg.size());
		for (int i = 0; i < 3; i++) {
			LabelResult a = fromImage.get(i), b = fromImg.get(i);
			assertEquals(i + 1, a.slice());
			assertEquals(i + 1, b.slice());
			for (int k = 0; k < 2; k++) {
				String col = k == 0 ? "" : "2";
				assertEquals(table.getStringValue("label" + col, i), a.label(k), "command vs ImagePlus, plane " + (i + 1));
				assertEquals((float) table.getValue("score" + col, i), a.score(k), "command vs ImagePlus, plane " + (i + 1));
				assertEquals(a.label(k), b.label(k), "ImagePlus vs ImgLib2, plane " + (i + 1));
				assertEquals(a.score(k), b.score(k), "ImagePlus vs ImgLib2, plane " + (i + 1));
			}
		}
		imp.setSlice(2);
		assertArrayEquals(clip.imageEmbedding(model.toFile(), imp),
			clip.imageEmbedding(model.toFile(), net.imglib2.view.Views.hyperSlice(img, 2, 1)), 1e-6f);
	}

	@Test
	void embeddingsAreUnitVectorsOfTheProjectionSize() {
		File model = Fixtures.hfClipTiny().toFile();
		float[] text = clip.textEmbedding(model, "a photo of a cell");
		float[] image = clip.imageEmbedding(model, noise("embed.tif"));
		assertEquals(text.length, image.length);
		double t = 0, i = 0;
		for (int k = 0; k < text.length; k++) {
			t += text[k] * text[k];
			i += image[k] * image[k];
		}
		assertEquals(1, t, 1e-4);
		assertEquals(1, i, 1e-4);
		assertNotNull(clip.color(model, "the color of a banana",
			sc.fiji.clip.color.ColorOptions.builder().steps(3).build()).color());
	}

	@Test
	void disposingTheContextClosesEveryModel() {
		Context own = new Context(ClipService.class);
		ClipService service = own.service(ClipService.class);
		ClipModel idle;
		try (ModelLease lease = service.model(Fixtures.hfClipTiny().toFile(), "cpu")) {
			idle = lease.model();
		}
		try (ModelLease again = service.model(Fixtures.hfClipTiny().toFile(), "cpu")) {
			assertSame(idle, again.model());
		}
		assertTrue(idle.weights().manager().isOpen());
		own.dispose();
		assertFalse(idle.weights().manager().isOpen(), "closed with the context");
		assertEquals(0, service.cache().size());
	}
}
