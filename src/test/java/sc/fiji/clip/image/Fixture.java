package sc.fiji.clip.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/** The hf-clip-tiny test fixture: its files, {@code expected.json} and the arrays of {@code pixel_values.safetensors}. */
public final class Fixture {

	public static final String[] STEMS = {"gradient_64x48", "noise_50x80", "solid_32x32", "gray_120x40", "checker_20x24", "rgba_40x56"};

	private static JsonObject expected;
	private static Map<String, float[]> pixelValues;
	private static Map<String, byte[]> crops;

	private Fixture() {}

	public static Path dir() {
		try {
			return Paths.get(Fixture.class.getResource("/hf-clip-tiny/README.md").toURI()).getParent();
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	public static Path image(String stem) {
		return dir().resolve("images").resolve(stem + ".png");
	}

	public static synchronized JsonObject expected() {
		if (expected == null) {
			try {
				expected = JsonParser.parseString(new String(Files.readAllBytes(dir().resolve("expected.json")), StandardCharsets.UTF_8)).getAsJsonObject();
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return expected;
	}

	public static JsonObject expectedImage(String stem) {
		for (JsonElement e : expected().getAsJsonArray("images")) {
			JsonObject o = e.getAsJsonObject();
			if (o.get("file").getAsString().equals("images/" + stem + ".png")) return o;
		}
		throw new IllegalArgumentException(stem);
	}

	public static double[] doubles(JsonArray a) {
		double[] d = new double[a.size()];
		for (int i = 0; i < d.length; i++) d[i] = a.get(i).getAsDouble();
		return d;
	}

	/** Expected {@code [3,32,32]} pixel values of an image, read with DJL. */
	public static float[] pixelValues(String stem) {
		loadSafetensors();
		return pixelValues.get(stem);
	}

	/** Expected {@code [H,W,3]} uint8 crop of an image, read with DJL. */
	public static byte[] cropUint8(String stem) {
		loadSafetensors();
		return crops.get(stem);
	}

	private static synchronized void loadSafetensors() {
		if (pixelValues != null) return;
		Map<String, float[]> pv = new HashMap<>();
		Map<String, byte[]> cr = new HashMap<>();
		try (NDManager m = NDManager.newBaseManager(); InputStream in = Files.newInputStream(dir().resolve("pixel_values.safetensors"))) {
			NDList list = NDList.decode(m, in);
			for (NDArray a : list) {
				String name = a.getName();
				String stem = name.substring(0, name.indexOf('.'));
				if (name.endsWith(".pixel_values")) pv.put(stem, a.toFloatArray());
				else if (name.endsWith(".crop_uint8")) cr.put(stem, a.toByteArray());
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		pixelValues = pv;
		crops = cr;
	}
}
