package sc.fiji.clip.bench;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Fashion-MNIST as Debian ships it ({@code apt-get install dataset-fashion-mnist}: gzipped idx files under
 * {@value #DEFAULT_DIR}), written out as class folders of PNG files so that the benchmark trains and labels through
 * the same folder code a lab uses.
 */
final class FashionMnist {

	static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";

	/** Class names in label order, as folder names (underscores read as spaces; "T-shirt/top" has no slash here). */
	static final List<String> CLASSES = List.of("t-shirt_or_top", "trouser", "pullover", "dress", "coat", "sandal",
		"shirt", "sneaker", "bag", "ankle_boot");

	private FashionMnist() {}

	/** The class names as labels: underscores as spaces. */
	static List<String> labels() {
		return CLASSES.stream().map(c -> c.replace('_', ' ')).collect(java.util.stream.Collectors.toList());
	}

	/**
	 * Writes {@code prefix} ("train" or "t10k") of the idx files in {@code source} as {@code target/<class>/NNNNN.png},
	 * unless a previous call finished doing so. Returns {@code target}.
	 */
	static Path export(Path source, String prefix, Path target) throws IOException {
		Path done = target.resolve(".complete");
		if (Files.exists(done)) return target;
		Path images = source.resolve(prefix + "-images-idx3-ubyte.gz"), labels = source.resolve(prefix + "-labels-idx1-ubyte.gz");
		if (!Files.exists(images) || !Files.exists(labels)) {
			throw new IOException("Fashion-MNIST not found in " + source + ": install it with 'apt-get install "
				+ "dataset-fashion-mnist' or give the folder holding " + images.getFileName() + ".");
		}
		byte[] pixels = read(images, 2051), classes = read(labels, 2049);
		int n = classes.length;
		int side = (int) Math.round(Math.sqrt(pixels.length / (double) n));
		for (String c : CLASSES) Files.createDirectories(target.resolve(c));
		for (int i = 0; i < n; i++) {
			BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
			image.getRaster().setDataElements(0, 0, side, side, java.util.Arrays.copyOfRange(pixels, i * side * side, (i + 1) * side * side));
			ImageIO.write(image, "png", target.resolve(CLASSES.get(classes[i])).resolve(String.format("%05d.png", i)).toFile());
		}
		Files.createFile(done);
		return target;
	}

	/** The payload of an idx file with the given magic number (after its dimension sizes). */
	private static byte[] read(Path gz, int magic) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); DataInputStream data = new DataInputStream(in)) {
			int m = data.readInt();
			if (m != magic) throw new IOException(gz + " is not an idx file (magic " + m + ", expected " + magic + ").");
			long count = 1;
			for (int d = 0; d < (m & 0xff); d++) count *= data.readInt();
			byte[] bytes = new byte[Math.toIntExact(count)];
			data.readFully(bytes);
			return bytes;
		}
	}
}
