package sc.fiji.clip.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import sc.fiji.clip.label.ColourModel;
import sc.fiji.clip.testing.Fixtures;

/**
 * Writes the bad-input corpus of {@link BadInputTest}: broken and unusual images, caption tables and model files,
 * all generated (no binaries in the repository).
 */
final class BadInputCorpus {

	/** Good colours for the training images: two of each. */
	static final List<String> COLOURS = ColourModel.COLOURS;

	private BadInputCorpus() {}

	// ---------------------------------------------------------------- images

	/** The bad or unusual image kinds, by file name; the boolean says whether it must be used (not skipped). */
	static final Map<String, Boolean> IMAGE_KINDS = Map.ofEntries(Map.entry("empty.png", false),
		Map.entry("truncated.png", false), Map.entry("truncated.jpg", false), Map.entry("truncated.tif", false),
		Map.entry("text.png", false), Map.entry("one_pixel.png", true), Map.entry("huge_header.png", false),
		Map.entry("sixteen_bit.tif", true), Map.entry("float_nan_inf.tif", true), Map.entry("rgba.png", true),
		Map.entry("palette.png", true), Map.entry("multipage.tif", true));

	/** Writes the image of the given kind (a name from {@link #IMAGE_KINDS}) into {@code folder}. */
	static Path image(Path folder, String kind) throws IOException {
		Files.createDirectories(folder);
		Path file = folder.resolve(kind);
		switch (kind) {
			case "empty.png":
				return Files.write(file, new byte[0]);
			case "truncated.png":
				return Files.write(file, half(png(rgb(32, 32, BufferedImage.TYPE_INT_RGB), "png")));
			case "truncated.jpg":
				return Files.write(file, half(png(rgb(32, 32, BufferedImage.TYPE_INT_RGB), "jpg")));
			case "truncated.tif": {
				Path whole = ColourModel.save(folder.resolve("whole.tif.tmp.tif"), "red", 32, 32);
				byte[] bytes = Files.readAllBytes(whole);
				Files.delete(whole);
				return Files.write(file, half(bytes));
			}
			case "text.png":
				return Files.write(file, "this is not an image\n".getBytes(StandardCharsets.UTF_8));
			case "one_pixel.png":
				return Files.write(file, png(rgb(1, 1, BufferedImage.TYPE_INT_RGB), "png"));
			case "huge_header.png":
				return Files.write(file, pngHeaderOnly(20000, 20000));
			case "sixteen_bit.tif": {
				ShortProcessor sp = new ShortProcessor(24, 24);
				for (int i = 0; i < 24 * 24; i++) sp.set(i, i * 97 % 65536);
				save(new ImagePlus("16", sp), file, false);
				return file;
			}
			case "float_nan_inf.tif": {
				FloatProcessor fp = new FloatProcessor(24, 24);
				for (int i = 0; i < 24 * 24; i++) fp.setf(i, i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : i);
				fp.setf(5, Float.NEGATIVE_INFINITY);
				save(new ImagePlus("32", fp), file, false);
				return file;
			}
			case "rgba.png": {
				BufferedImage image = rgb(20, 20, BufferedImage.TYPE_INT_ARGB);
				for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++) image.setRGB(x, y, (x * 12) << 24 | 0xff0000);
				return Files.write(file, png(image, "png"));
			}
			case "palette.png": {
				byte[] r = { 0, (byte) 255, 0, 0 }, g = { 0, 0, (byte) 255, 0 }, b = { 0, 0, 0, (byte) 255 };
				BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_INDEXED,
					new IndexColorModel(2, 4, r, g, b));
				for (int y = 0; y < 20; y++) for (int x = 0; x < 20; x++) image.getRaster().setSample(x, y, 0, (x + y) % 4);
				return Files.write(file, png(image, "png"));
			}
			case "multipage.tif": {
				ImageStack stack = new ImageStack(16, 16);
				for (String colour : List.of("red", "green", "blue")) stack.addSlice(colour, ColourModel.plane(16, 16, colour));
				save(new ImagePlus("stack", stack), file, true);
				return file;
			}
			default:
				throw new IllegalArgumentException(kind);
		}
	}

	/** Good solid colour images, two per colour, in {@code folder}; returns their names. */
	static List<String> goodImages(Path folder) {
		String[] names = new String[COLOURS.size() * 2];
		int i = 0;
		for (String colour : COLOURS) {
			for (int k = 0; k < 2; k++) {
				names[i] = colour + k + ".png";
				ColourModel.save(folder.resolve(names[i]), colour, 16 + k, 16);
				i++;
			}
		}
		return Arrays.asList(names);
	}

	/** A captions.csv naming the good images (caption = colour) and then the extra rows given as raw CSV lines. */
	static Path captions(Path folder, List<String> good, String... extraLines) throws IOException {
		StringBuilder csv = new StringBuilder("image,caption\n");
		for (String name : good) csv.append(name).append(',').append(name.replaceAll("\\d.*", "")).append('\n');
		for (String line : extraLines) csv.append(line).append('\n');
		return Files.write(folder.resolve("captions.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
	}

	private static BufferedImage rgb(int width, int height, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) image.setRGB(x, y, 0xff000000 | x * 7 << 8 | y * 5);
		return image;
	}

	private static byte[] png(BufferedImage image, String format) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		if (!ImageIO.write(image, format, bytes)) throw new IOException("no ImageIO writer for " + format);
		return bytes.toByteArray();
	}

	private static byte[] half(byte[] bytes) {
		return Arrays.copyOf(bytes, bytes.length / 2);
	}

	private static void save(ImagePlus imp, Path file, boolean stack) {
		FileSaver saver = new FileSaver(imp);
		if (!(stack ? saver.saveAsTiffStack(file.toString()) : saver.saveAsTiff(file.toString()))) {
			throw new IllegalStateException("could not save " + file);
		}
	}

	/** A valid PNG signature and IHDR declaring {@code width x height} RGB, a tiny IDAT and IEND. */
	private static byte[] pngHeaderOnly(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
			.put((byte) 0).put((byte) 0);
		chunk(out, "IHDR", ihdr.array());
		chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1 });
		chunk(out, "IEND", new byte[0]);
		return out.toByteArray();
	}

	private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
		out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
		byte[] t = type.getBytes(StandardCharsets.US_ASCII);
		out.writeBytes(t);
		out.writeBytes(data);
		CRC32 crc = new CRC32();
		crc.update(t);
		crc.update(data);
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	// ---------------------------------------------------------------- models

	/** The first half of a good model zip. */
	static Path truncatedZip(Path dir, Path good) throws IOException {
		Files.createDirectories(dir);
		return Files.write(dir.resolve("truncated.zip"), half(Files.readAllBytes(good)));
	}

	/** A good model zip with an extra {@code ../escaped.txt} entry (zip slip). */
	static Path zipSlip(Path dir, Path good) throws IOException {
		Files.createDirectories(dir);
		Path zip = dir.resolve("zipslip.zip");
		rezip(good, zip, null, null, Map.of("../escaped.txt", "outside".getBytes(StandardCharsets.UTF_8)));
		return zip;
	}

	/** A good model zip whose config says {@code fiji_clip.format_version} 99. */
	static Path newerFormat(Path dir, Path good) throws IOException {
		Files.createDirectories(dir);
		Path zip = dir.resolve("format99.zip");
		rezip(good, zip, "config.json", bytes -> {
			JsonObject config = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
			if (!config.has("fiji_clip")) config.add("fiji_clip", new JsonObject());
			config.getAsJsonObject("fiji_clip").addProperty("format_version", 99);
			return new Gson().toJson(config).getBytes(StandardCharsets.UTF_8);
		}, Map.of());
		return zip;
	}

	/** A copy of the Hugging Face fixture whose text intermediate size does not match its weights. */
	static Path shapeMismatch(Path dir) throws IOException {
		Path folder = copyFixture(dir.resolve("shape_mismatch"));
		Path config = folder.resolve("config.json");
		JsonObject json = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
		json.getAsJsonObject("text_config").addProperty("intermediate_size", 48);
		Files.writeString(config, new Gson().toJson(json));
		return folder;
	}

	/** A copy of the Hugging Face fixture with one float32 weight relabelled as int32 (same bytes). */
	static Path wrongDtype(Path dir) throws IOException {
		Path folder = copyFixture(dir.resolve("wrong_dtype"));
		Path weights = folder.resolve("model.safetensors");
		byte[] bytes = Files.readAllBytes(weights);
		long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
		JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
			.getAsJsonObject();
		String target = header.keySet().stream().filter(k -> k.endsWith("mlp.fc1.weight")).sorted().findFirst()
			.orElseThrow();
		header.getAsJsonObject(target).addProperty("dtype", "I32");
		byte[] data = Arrays.copyOfRange(bytes, 8 + (int) headerLength, bytes.length);
		writeSafetensors(weights, header, data);
		return folder;
	}

	/** A folder with the fixture's config but a safetensors file of unrelated tensors. */
	static Path notClip(Path dir) throws IOException {
		Path folder = copyFixture(dir.resolve("not_clip"));
		JsonObject header = new JsonObject();
		JsonObject tensor = new JsonObject();
		tensor.addProperty("dtype", "F32");
		tensor.add("shape", JsonParser.parseString("[2,2]"));
		tensor.add("data_offsets", JsonParser.parseString("[0,16]"));
		header.add("resnet.conv1.weight", tensor);
		writeSafetensors(folder.resolve("model.safetensors"), header, new byte[16]);
		return folder;
	}

	/** A folder with weights and tokenizer files but no config.json. */
	static Path noConfig(Path dir) throws IOException {
		Path folder = copyFixture(dir.resolve("no_config"));
		Files.delete(folder.resolve("config.json"));
		return folder;
	}

	private static void writeSafetensors(Path file, JsonObject header, byte[] data) throws IOException {
		byte[] json = new Gson().toJson(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		byte[] headerBytes = Arrays.copyOf(json, padded);
		Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
		try (OutputStream out = Files.newOutputStream(file)) {
			out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
			out.write(headerBytes);
			out.write(data);
		}
	}

	private static Path copyFixture(Path target) throws IOException {
		Path source = Fixtures.hfClipTiny();
		Files.createDirectories(target);
		for (String name : List.of("config.json", "model.safetensors", "preprocessor_config.json", "tokenizer.json",
			"vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json"))
		{
			Files.copy(source.resolve(name), target.resolve(name));
		}
		return target;
	}

	interface Edit {
		byte[] apply(byte[] bytes) throws IOException;
	}

	private static void rezip(Path source, Path target, String edited, Edit edit, Map<String, byte[]> extra)
		throws IOException
	{
		try (ZipFile in = new ZipFile(source.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(
			target)))
		{
			for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
				ZipEntry entry = e.nextElement();
				byte[] bytes;
				try (InputStream stream = in.getInputStream(entry)) {
					bytes = stream.readAllBytes();
				}
				if (entry.getName().equals(edited)) bytes = edit.apply(bytes);
				out.putNextEntry(new ZipEntry(entry.getName()));
				out.write(bytes);
				out.closeEntry();
			}
			for (Map.Entry<String, byte[]> e : extra.entrySet()) {
				out.putNextEntry(new ZipEntry(e.getKey()));
				out.write(e.getValue());
				out.closeEntry();
			}
		}
	}

	/** Whether any {@code .part} file lies under {@code dir}. */
	static boolean anyPart(Path dir) {
		if (!Files.isDirectory(dir)) return false;
		try (Stream<Path> files = Files.walk(dir)) {
			return files.anyMatch(p -> p.getFileName().toString().endsWith(".part"));
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
