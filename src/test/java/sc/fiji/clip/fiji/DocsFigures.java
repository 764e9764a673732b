package sc.fiji.clip.fiji;

import ij.ImagePlus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.train.EpochRecord;

/**
 * Renders the training-curves Plot that Train CLIP Model… shows, from a {@code training-log.csv}, to a PNG for the
 * docs. Not a unit test: {@code java -cp ... sc.fiji.clip.fiji.DocsFigures training-log.csv docs/training-curves.png}.
 */
public final class DocsFigures {

	public static void main(String[] args) throws Exception {
		List<EpochRecord> records = new ArrayList<>();
		List<String> lines = Files.readAllLines(Paths.get(args[0]));
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",", -1);
			records.add(new EpochRecord(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
				Double.parseDouble(f[3]), number(f[4]), number(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])));
		}
		ImagePlus plot = TrainingCurves.plot("CLIP training (demo)", records).getImagePlus();
		Path out = Paths.get(args[1]);
		javax.imageio.ImageIO.write(plot.getBufferedImage(), "png", out.toFile());
		System.out.println("wrote " + out);
	}

	private static double number(String s) {
		return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
	}
}
