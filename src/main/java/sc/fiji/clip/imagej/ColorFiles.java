package sc.fiji.clip.imagej;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.Normalizer;
import java.util.Locale;
import javax.imageio.ImageIO;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.color.ColorFrame;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.color.ColorStep;
import sc.fiji.clip.color.Rgb;
import sc.fiji.clip.io.AtomicFiles;

/**
 * Writes a {@link ColorResult} to a folder: {@value #SWATCH} (the colours side by side, or the image upscaled),
 * {@value #PROGRESSION} (one labelled plane per recorded step) and {@value #CSV} (every step's colours and
 * similarities). Every file is written to a temporary file in the same folder and then moved into place.
 */
public final class ColorFiles {

	public static final String SWATCH = "swatch.png";
	public static final String PROGRESSION = "progression.tif";
	public static final String CSV = "steps.csv";
	/** Side of one colour in the progression's planes (at least the image size). */
	static final int PROGRESSION_CELL = 64;
	private static final int MAX_SLUG = 48;

	private ColorFiles() {}

	/** Writes the three files into {@code folder}, which must exist, replacing files of the same names. */
	public static void write(ColorResult result, Path folder, int swatchSize) {
		ColorProcessor swatch = swatch(result.bestFrame(), swatchSize);
		AtomicFiles.write(folder.resolve(SWATCH), out -> {
			if (!ImageIO.write(swatch.getBufferedImage(), "png", out)) throw new IOException("no PNG writer");
		});
		writeTiff(progression(result), folder.resolve(PROGRESSION));
		AtomicFiles.write(folder.resolve(CSV), out -> {
			Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			w.write(csv(result));
			w.flush();
		});
	}

	/** A folder name from a prompt: lower-case ASCII letters and digits joined by '-', at most 48 characters. */
	public static String slug(String prompt) {
		String ascii = Normalizer.normalize(prompt, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
		String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		if (s.length() > MAX_SLUG) s = s.substring(0, MAX_SLUG).replaceAll("-+$", "");
		return s.isEmpty() ? "prompt" : s;
	}

	/** The colours of a frame side by side, each {@code cell}×{@code cell}; images are upscaled bilinearly. */
	public static ColorProcessor swatch(ColorFrame frame, int cell) {
		if (cell < frame.size()) {
			throw new ClipException("The swatch size " + cell + " is smaller than the image size " + frame.size() + ".");
		}
		return new ColorProcessor(cell * frame.count(), cell, frame.swatch(cell));
	}

	/** One plane per recorded step, labelled {@code step 12 #AABBCC 0.734} (every colour of a palette). */
	public static ImageStack progression(ColorResult result) {
		ColorFrame first = result.frames().get(0);
		int cell = Math.max(PROGRESSION_CELL, first.size());
		ImageStack stack = new ImageStack(cell * first.count(), cell);
		for (ColorFrame f : result.frames()) stack.addSlice(label(f), swatch(f, cell));
		return stack;
	}

	static String label(ColorFrame f) {
		StringBuilder s = new StringBuilder("step ").append(f.step());
		for (int k = 0; k < f.count(); k++) {
			s.append(' ').append(f.color(k).hex()).append(String.format(Locale.ROOT, " %.3f", f.similarity(k)));
		}
		return s.toString();
	}

	/** {@code step,r,g,b,hex,similarity} rows (with a {@code color} index column after {@code step} for a palette). */
	public static String csv(ColorResult result) {
		boolean palette = result.bestFrame().count() > 1;
		StringBuilder s = new StringBuilder(palette ? "step,color,r,g,b,hex,similarity\n" : "step,r,g,b,hex,similarity\n");
		for (ColorStep st : result.steps()) {
			Rgb c = st.color();
			s.append(st.step()).append(',');
			if (palette) s.append(st.index()).append(',');
			s.append(c.red()).append(',').append(c.green()).append(',').append(c.blue()).append(',').append(c.hex())
				.append(',').append(String.format(Locale.ROOT, "%.6f", st.similarity())).append('\n');
		}
		return s.toString();
	}

	/** Saves with ImageJ's {@link FileSaver} to a temporary file beside {@code target}, then moves it into place. */
	static void writeTiff(ImageStack stack, Path target) {
		Path dir = target.toAbsolutePath().getParent();
		ImagePlus imp = new ImagePlus(target.getFileName().toString(), stack);
		Path tmp = null;
		try {
			tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
			FileSaver saver = new FileSaver(imp);
			boolean saved = stack.getSize() > 1 ? saver.saveAsTiffStack(tmp.toString()) : saver.saveAsTiff(tmp.toString());
			if (!saved) throw new IOException("ImageJ could not save the TIFF");
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			tmp = null;
		} catch (IOException e) {
			throw new ClipException("Could not write " + target + ": " + e.getMessage() + ". Check that the folder is "
				+ "writable and the disk has space.", e);
		} finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				} catch (IOException e) {
					// best effort: a stray .part file is harmless
				}
			}
		}
	}
}
