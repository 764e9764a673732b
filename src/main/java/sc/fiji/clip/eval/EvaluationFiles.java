package sc.fiji.clip.eval;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.io.AtomicFiles;

/**
 * Writes an {@link Evaluation} into a folder: {@value #SUMMARY} (metric, value), {@value #CLASSES} (per class:
 * support, predicted, precision, recall, F1), {@value #CONFUSION} (true class by row, prediction by column) and
 * {@value #IMAGE} ({@link ConfusionImage}). Each file is written atomically.
 */
public final class EvaluationFiles {

	public static final String SUMMARY = "summary.csv", CLASSES = "classes.csv", CONFUSION = "confusion.csv",
		IMAGE = "confusion.png";

	private EvaluationFiles() {}

	/** Writes the four files into {@code folder}, creating it if needed; returns their paths. */
	public static List<Path> write(Evaluation e, Path folder) {
		try {
			Files.createDirectories(folder);
		} catch (IOException x) {
			throw new ClipException("Cannot create the output folder " + folder + ": " + x.getMessage(), x);
		}
		ConfusionMatrix m = e.confusion();
		text(folder.resolve(SUMMARY), w -> {
			w.write("metric,value\n");
			for (Object[] row : e.summaryRows()) w.write(csv((String) row[0]) + "," + number((Double) row[1]) + "\n");
		});
		text(folder.resolve(CLASSES), w -> {
			w.write("class,support,predicted,precision,recall,f1\n");
			for (int c = 0; c < m.classes().size(); c++) {
				w.write(csv(m.classes().get(c)) + "," + m.support(c) + "," + m.predicted(c) + "," + number(m.precision(c))
					+ "," + number(m.recall(c)) + "," + number(m.f1(c)) + "\n");
			}
		});
		text(folder.resolve(CONFUSION), w -> {
			w.write("true \\ predicted");
			for (String c : m.classes()) w.write("," + csv(c));
			w.write("\n");
			for (int i = 0; i < m.classes().size(); i++) {
				w.write(csv(m.classes().get(i)));
				for (int j = 0; j < m.classes().size(); j++) w.write("," + m.count(i, j));
				w.write("\n");
			}
		});
		Path png = folder.resolve(IMAGE);
		AtomicFiles.write(png, out -> ImageIO.write(ConfusionImage.render(m), "png", out));
		return List.of(folder.resolve(SUMMARY), folder.resolve(CLASSES), folder.resolve(CONFUSION), png);
	}

	interface Lines {
		void write(Writer w) throws IOException;
	}

	private static void text(Path file, Lines lines) {
		AtomicFiles.write(file, out -> {
			Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
			lines.write(w);
			w.flush();
		});
	}

	static String number(double v) {
		return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
	}

	static String csv(String s) {
		return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
	}
}
