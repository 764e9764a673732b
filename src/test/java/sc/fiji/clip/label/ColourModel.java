package sc.fiji.clip.label;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;
import sc.fiji.clip.model.ContrastiveLoss;
import sc.fiji.clip.train.AdamW;

/**
 * A tiny model trained in the test JVM to tell solid colours apart: captions "red", "green", "blue" and "black"
 * (within the tiny preset's 16 byte tokens), saved once with its template {@code "{}"} as a model file.
 */
public final class ColourModel {

	public static final List<String> COLOURS = List.of("red", "green", "blue", "black");

	private static final int MIN_STEPS = 100, MAX_STEPS = 300;

	private static Path file;
	private static String trainingLog;

	private ColourModel() {}

	/** The RGB value of a colour name. */
	public static int rgb(String colour) {
		switch (colour) {
			case "red":
				return 0xff0000;
			case "green":
				return 0x00ff00;
			case "blue":
				return 0x0000ff;
			case "black":
				return 0x000000;
			default:
				throw new IllegalArgumentException(colour);
		}
	}

	/** The trained model file (trained on first use, about a second). */
	public static synchronized Path file() {
		if (file == null) {
			try {
				Path dir = Files.createTempDirectory("fiji-clip-colours");
				dir.toFile().deleteOnExit();
				Path target = dir.resolve("colours.zip");
				train(target);
				target.toFile().deleteOnExit();
				file = target;
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return file;
	}

	/** How the training went, for failure messages. */
	public static synchronized String trainingLog() {
		return trainingLog;
	}

	/** Trains on two shades of each colour with captions the colour names, until the loss is small. */
	static void train(Path target) {
		int size = ClipPreset.TINY.config().vision_config.image_size;
		List<String> captions = new ArrayList<>();
		List<RgbImage> images = new ArrayList<>();
		for (String colour : COLOURS) {
			int rgb = rgb(colour);
			images.add(solid(size, size, rgb));
			images.add(solid(size, size, shade(rgb)));
			captions.add(colour);
			captions.add(colour);
		}
		StringBuilder log = new StringBuilder();
		// a run that does not reach the loss floor (rarely seen: a NaN loss) is retried with the next seed and logged
		for (long seed = 7; seed < 10; seed++) {
			if (trainOnce(images, captions, seed, target, log)) {
				trainingLog = log.toString().strip();
				System.out.println(trainingLog);
				return;
			}
		}
		throw new IllegalStateException("the colour model did not train: " + log);
	}

	/**
	 * Trains from {@code seed} until the loss nears its floor (duplicate captions make it ln 2 = 0.69, not 0) and
	 * saves the model; returns false if it did not get there.
	 */
	private static boolean trainOnce(List<RgbImage> images, List<String> captions, long seed, Path target,
		StringBuilder log)
	{
		int n = images.size(), size = images.get(0).width();
		long start = System.nanoTime();
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), seed, Device.cpu());
			AdamW adam = new AdamW(model.weights().manager(), model.weights()::decayed))
		{
			ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
			float[] pixels = new float[n * 3 * size * size];
			for (int i = 0; i < n; i++) processor.processInto(images.get(i), pixels, i * 3 * size * size);
			model.weights().setTrainable(true);
			Map<String, NDArray> parameters = model.weights().byName();
			float first = Float.NaN, loss = Float.NaN;
			int steps = 0;
			while (steps < MAX_STEPS) {
				try (NDManager scope = model.newScope()) {
					NDArray x = scope.create(pixels, new Shape(n, 3, size, size));
					NDArray targets = ContrastiveLoss.targets(captions, scope);
					try (GradientCollector collector = ClipEngine.get().newGradientCollector()) {
						NDArray l = ContrastiveLoss.compute(model, model.encodeImages(x), model.encodeTexts(captions, scope),
							targets);
						collector.backward(l);
						loss = l.getFloat();
					}
					adam.step(parameters, 1e-2f, 0.01f);
				}
				if (steps++ == 0) first = loss;
				if (Float.isNaN(loss) || steps >= MIN_STEPS && loss < 0.75f) break;
			}
			log.append(String.format(java.util.Locale.ROOT, "colour model (seed %d): loss %.3f -> %.4f in %d steps, %.1f s%n",
				seed, first, loss, steps, (System.nanoTime() - start) / 1e9));
			if (!(loss < 0.8f)) return false;
			model.weights().setTrainable(false);
			model.config().fiji_clip.templates = new ArrayList<>(List.of("{}"));
			ModelFiles.save(model, target);
			return true;
		}
	}

	/** A darker shade, so that the model sees more than one value per colour. */
	private static int shade(int rgb) {
		int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
		return (r * 4 / 5 + 10) << 16 | (g * 4 / 5 + 10) << 8 | (b * 4 / 5 + 10);
	}

	/** A solid RGB image. */
	public static RgbImage solid(int width, int height, int rgb) {
		RgbImage image = new RgbImage(width, height);
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				image.set(x, y, 0, rgb >> 16);
				image.set(x, y, 1, rgb >> 8);
				image.set(x, y, 2, rgb);
			}
		}
		return image;
	}

	/** A solid colour plane as ImageJ's RGB processor. */
	public static ColorProcessor plane(int width, int height, String colour) {
		ColorProcessor cp = new ColorProcessor(width, height);
		cp.setColor(rgb(colour));
		cp.fill();
		return cp;
	}

	/** Saves a solid colour image as PNG or TIFF (by the file's extension). */
	public static Path save(Path file, String colour, int width, int height) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		ImagePlus imp = new ImagePlus(colour, plane(width, height, colour));
		FileSaver saver = new FileSaver(imp);
		boolean ok = file.toString().endsWith(".png") ? saver.saveAsPng(file.toString())
			: saver.saveAsTiff(file.toString());
		if (!ok) throw new IllegalStateException("could not save " + file);
		return file;
	}
}
