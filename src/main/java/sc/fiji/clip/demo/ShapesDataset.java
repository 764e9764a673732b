package sc.fiji.clip.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A synthetic image/caption set that needs no download: coloured shapes on varied backgrounds, sizes and
 * positions, captioned "a red circle", and optionally one-colour swatches captioned with the colour alone ("red").
 * Written as PNGs with a {@code captions.csv}, the layout users give their own data in, so the demo exercises the
 * same path as real training. The swatches teach the model what a colour word looks like on its own, which is what
 * the colour optimisation asks of it: without them a uniform image is outside everything the model saw, and the
 * colours found for some prompts are greys.
 */
public final class ShapesDataset {

	public static final List<String> COLORS = List.of("red", "green", "blue", "yellow", "purple");
	public static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross");
	/** The colours drawn, as {@link #COLORS}, before a jitter of up to 15 per channel. */
	static final int[][] RGB = { { 215, 35, 35 }, { 40, 170, 55 }, { 35, 75, 215 }, { 235, 205, 35 },
		{ 135, 55, 195 } };

	private ShapesDataset() {}

	/** Writes {@code count} shape images of {@code size} px and {@code captions.csv} into {@code dir}; returns it. */
	public static Path write(Path dir, int count, int size, long seed) {
		return write(dir, count, size, 0, seed);
	}

	/**
	 * As {@link #write(Path, int, int, long)}, with each image a one-colour swatch captioned with its colour word
	 * with probability {@code swatches} (named {@code 00012_red_swatch.png}).
	 */
	public static Path write(Path dir, int count, int size, double swatches, long seed) {
		if (!(swatches >= 0 && swatches <= 1)) throw new IllegalArgumentException("swatches must be in [0, 1], was " + swatches);
		Random random = new Random(seed);
		StringBuilder csv = new StringBuilder("image,caption\n");
		try {
			Files.createDirectories(dir.resolve("images"));
			for (int i = 0; i < count; i++) {
				int color = random.nextInt(COLORS.size()), shape = random.nextInt(SHAPES.size());
				boolean swatch = swatches > 0 && random.nextDouble() < swatches;
				String name = String.format("images/%05d_%s_%s.png", i, COLORS.get(color), swatch ? "swatch" : SHAPES.get(shape));
				BufferedImage image = swatch ? swatch(color, size, random) : draw(color, shape, size, random);
				ImageIO.write(image, "png", dir.resolve(name).toFile());
				String caption = swatch ? COLORS.get(color) : "a " + COLORS.get(color) + " " + SHAPES.get(shape);
				csv.append(name).append(',').append(caption).append('\n');
			}
			Files.write(dir.resolve("captions.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new UncheckedIOException("Cannot write the demo images to " + dir, e);
		}
		return dir;
	}

	/** Whether {@code caption} is a swatch's: a colour word alone. */
	public static boolean isSwatch(String caption) {
		return COLORS.contains(caption);
	}

	/** A one-colour image of a jittered colour, with a little noise. */
	static BufferedImage swatch(int color, int size, Random random) {
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		int[] c = RGB[color];
		int r = jitter(c[0], random), g = jitter(c[1], random), b = jitter(c[2], random);
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				int n = (int) (random.nextGaussian() * 4);
				image.setRGB(x, y, clamp(r + n) << 16 | clamp(g + n) << 8 | clamp(b + n));
			}
		}
		return image;
	}

	private static int clamp(int v) {
		return Math.max(0, Math.min(255, v));
	}

	/** One image: a background of random grey with a little noise, and one jittered coloured shape. */
	static BufferedImage draw(int color, int shape, int size, Random random) {
		BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
		int grey = 25 + random.nextInt(200);
		for (int y = 0; y < size; y++) {
			for (int x = 0; x < size; x++) {
				int v = Math.max(0, Math.min(255, grey + (int) (random.nextGaussian() * 8)));
				image.setRGB(x, y, v << 16 | v << 8 | v);
			}
		}
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		int[] c = RGB[color];
		g.setColor(new Color(jitter(c[0], random), jitter(c[1], random), jitter(c[2], random)));
		int d = (int) (size * (0.55 + 0.35 * random.nextDouble()));
		int x = random.nextInt(size - d + 1), y = random.nextInt(size - d + 1);
		switch (SHAPES.get(shape)) {
			case "circle":
				g.fillOval(x, y, d, d);
				break;
			case "square":
				g.fillRect(x, y, d, d);
				break;
			case "triangle":
				g.fillPolygon(new Polygon(new int[] { x, x + d / 2, x + d }, new int[] { y + d, y, y + d }, 3));
				break;
			default:
				g.setStroke(new BasicStroke(Math.max(2, d / 4f)));
				g.drawLine(x + d / 2, y, x + d / 2, y + d);
				g.drawLine(x, y + d / 2, x + d, y + d / 2);
		}
		g.dispose();
		return image;
	}

	private static int jitter(int v, Random random) {
		return Math.max(0, Math.min(255, v + random.nextInt(31) - 15));
	}
}
