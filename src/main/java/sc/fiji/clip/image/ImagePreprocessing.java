package sc.fiji.clip.image;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of a CLIP image processor (resize, centre crop, rescale, normalise), read from and written to a
 * Hugging Face {@code preprocessor_config.json} with transformers' defaults, so that a checkpoint's own preprocessing
 * is applied and a model saved by this plugin reloads with identical preprocessing in Python and here.
 * <p>
 * Resizing is either to a shortest edge (aspect ratio kept, the CLIP default) or, when the config gives
 * {@code "size": {"height": h, "width": w}}, to exactly {@code h x w}. Only bicubic resampling ({@code resample 3})
 * is implemented.
 */
public final class ImagePreprocessing {

	/** OpenAI CLIP's per-channel mean (transformers' {@code OPENAI_CLIP_MEAN}). */
	private static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
	/** OpenAI CLIP's per-channel standard deviation (transformers' {@code OPENAI_CLIP_STD}). */
	private static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};
	/** Pillow's code for bicubic resampling, the only one supported. */
	public static final int PIL_BICUBIC = 3;

	private static final int DEFAULT_SIZE = 224;

	private final boolean doResize;
	private final int shortestEdge;
	private final int resizeHeight;
	private final int resizeWidth;
	private final boolean doCenterCrop;
	private final int cropHeight;
	private final int cropWidth;
	private final boolean doRescale;
	private final double rescaleFactor;
	private final boolean doNormalize;
	private final double[] mean;
	private final double[] std;

	private ImagePreprocessing(Builder b) {
		if (b.doResize) {
			if (b.shortestEdge > 0 == (b.resizeHeight > 0 && b.resizeWidth > 0)) {
				throw new IllegalArgumentException("resize needs either a shortest edge or a height and width");
			}
		}
		if (b.doCenterCrop && (b.cropHeight <= 0 || b.cropWidth <= 0)) {
			throw new IllegalArgumentException("crop size must be positive: " + b.cropHeight + "x" + b.cropWidth);
		}
		if (b.mean.length != 3 || b.std.length != 3) {
			throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
		}
		for (double s : b.std) {
			if (!(s != 0 && Double.isFinite(s))) throw new IllegalArgumentException("std must be finite and non-zero");
		}
		doResize = b.doResize;
		shortestEdge = b.shortestEdge;
		resizeHeight = b.shortestEdge > 0 ? 0 : b.resizeHeight;
		resizeWidth = b.shortestEdge > 0 ? 0 : b.resizeWidth;
		doCenterCrop = b.doCenterCrop;
		cropHeight = b.cropHeight;
		cropWidth = b.cropWidth;
		doRescale = b.doRescale;
		rescaleFactor = b.rescaleFactor;
		doNormalize = b.doNormalize;
		mean = b.mean.clone();
		std = b.std.clone();
	}

	/** Settings with transformers' {@code CLIPImageProcessor} defaults (224, OpenAI mean/std), to adjust. */
	public static Builder builder() {
		return new Builder();
	}

	/** OpenAI CLIP preprocessing at {@code size}: shortest edge and square centre crop of {@code size}. */
	public static ImagePreprocessing openAiClip(int size) {
		return builder().shortestEdge(size).cropSize(size, size).build();
	}

	/** Reads a {@code preprocessor_config.json} file, or the one inside a checkpoint directory. */
	public static ImagePreprocessing read(Path path) throws IOException {
		Path file = Files.isDirectory(path) ? path.resolve("preprocessor_config.json") : path;
		return fromJson(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
	}

	/**
	 * Parses a Hugging Face image processor config: {@code size} / {@code crop_size} as plain ints (the old
	 * {@code CLIPFeatureExtractor} layout), {@code [h, w]} lists or dicts ({@code shortest_edge},
	 * {@code height}/{@code width}); missing keys take transformers' {@code CLIPImageProcessor} defaults.
	 *
	 * @throws IllegalArgumentException for malformed values or a resampling filter other than bicubic
	 */
	public static ImagePreprocessing fromJson(String json) {
		JsonObject o = JsonParser.parseString(json).getAsJsonObject();
		Builder b = builder();
		b.doResize(bool(o, "do_resize", true));
		JsonElement size = o.get("size");
		if (size != null && !size.isJsonNull()) {
			int[] hw = sizeDict(size, "size", false);
			if (hw.length == 1) b.shortestEdge(hw[0]);
			else b.resize(hw[0], hw[1]);
		}
		b.doCenterCrop(bool(o, "do_center_crop", true));
		JsonElement crop = o.get("crop_size");
		if (crop != null && !crop.isJsonNull()) {
			int[] hw = sizeDict(crop, "crop_size", true);
			b.cropSize(hw[0], hw[1]);
		}
		b.doRescale(bool(o, "do_rescale", true));
		JsonElement factor = o.get("rescale_factor");
		if (factor != null && !factor.isJsonNull()) b.rescaleFactor(factor.getAsDouble());
		b.doNormalize(bool(o, "do_normalize", true));
		JsonElement m = o.get("image_mean");
		if (m != null && !m.isJsonNull()) b.mean(triple(m, "image_mean"));
		JsonElement s = o.get("image_std");
		if (s != null && !s.isJsonNull()) b.std(triple(s, "image_std"));
		JsonElement resample = o.get("resample");
		if (resample != null && !resample.isJsonNull() && resample.getAsInt() != PIL_BICUBIC) {
			throw new IllegalArgumentException("resample " + resample + " is not supported, only bicubic (3)");
		}
		return b.build();
	}

	private static boolean bool(JsonObject o, String key, boolean fallback) {
		JsonElement e = o.get(key);
		return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
	}

	/** {shortest_edge} or {height, width}, following transformers' {@code get_size_dict}. */
	private static int[] sizeDict(JsonElement e, String name, boolean defaultToSquare) {
		if (e.isJsonPrimitive()) {
			int n = e.getAsInt();
			return defaultToSquare ? new int[] {n, n} : new int[] {n};
		}
		if (e.isJsonArray()) {
			JsonArray a = e.getAsJsonArray();
			if (a.size() != 2) throw new IllegalArgumentException(name + " list must be [height, width]: " + e);
			return new int[] {a.get(0).getAsInt(), a.get(1).getAsInt()};
		}
		JsonObject d = e.getAsJsonObject();
		if (d.has("height") && d.has("width")) {
			return new int[] {d.get("height").getAsInt(), d.get("width").getAsInt()};
		}
		if (d.has("shortest_edge")) {
			int n = d.get("shortest_edge").getAsInt();
			return defaultToSquare ? new int[] {n, n} : new int[] {n};
		}
		throw new IllegalArgumentException(name + " needs shortest_edge or height and width: " + e);
	}

	private static double[] triple(JsonElement e, String name) {
		if (e.isJsonPrimitive()) {
			double v = e.getAsDouble();
			return new double[] {v, v, v};
		}
		JsonArray a = e.getAsJsonArray();
		if (a.size() != 3) throw new IllegalArgumentException(name + " needs 3 values: " + e);
		return new double[] {a.get(0).getAsDouble(), a.get(1).getAsDouble(), a.get(2).getAsDouble()};
	}

	/**
	 * A transformers {@code CLIPImageProcessor} {@code preprocessor_config.json} (dict layout) that {@link #fromJson}
	 * and {@code CLIPImageProcessor.from_pretrained} both read back to the same settings.
	 */
	public String toJson() {
		JsonObject o = new JsonObject();
		JsonObject crop = new JsonObject();
		crop.addProperty("height", cropHeight);
		crop.addProperty("width", cropWidth);
		o.add("crop_size", crop);
		o.addProperty("do_center_crop", doCenterCrop);
		o.addProperty("do_convert_rgb", true);
		o.addProperty("do_normalize", doNormalize);
		o.addProperty("do_rescale", doRescale);
		o.addProperty("do_resize", doResize);
		o.add("image_mean", array(mean));
		o.addProperty("image_processor_type", "CLIPImageProcessor");
		o.add("image_std", array(std));
		o.addProperty("resample", PIL_BICUBIC);
		o.addProperty("rescale_factor", rescaleFactor);
		JsonObject size = new JsonObject();
		if (shortestEdge > 0) {
			size.addProperty("shortest_edge", shortestEdge);
		} else {
			size.addProperty("height", resizeHeight);
			size.addProperty("width", resizeWidth);
		}
		o.add("size", size);
		return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
	}

	private static JsonArray array(double[] values) {
		JsonArray a = new JsonArray();
		for (double v : values) a.add(v);
		return a;
	}

	/** Settings to change a few values of these. */
	public Builder toBuilder() {
		return new Builder().doResize(doResize).shortestEdge(shortestEdge).resize(resizeHeight, resizeWidth)
			.doCenterCrop(doCenterCrop).cropSize(cropHeight, cropWidth).doRescale(doRescale)
			.rescaleFactor(rescaleFactor).doNormalize(doNormalize).mean(mean).std(std);
	}

	public boolean doResize() {
		return doResize;
	}

	/** Target of the shorter side when resizing keeps the aspect ratio; 0 when resizing to a fixed size. */
	public int shortestEdge() {
		return shortestEdge;
	}

	/** Fixed resize height, or 0 when resizing to {@link #shortestEdge()}. */
	public int resizeHeight() {
		return resizeHeight;
	}

	/** Fixed resize width, or 0 when resizing to {@link #shortestEdge()}. */
	public int resizeWidth() {
		return resizeWidth;
	}

	public boolean doCenterCrop() {
		return doCenterCrop;
	}

	public int cropHeight() {
		return cropHeight;
	}

	public int cropWidth() {
		return cropWidth;
	}

	public boolean doRescale() {
		return doRescale;
	}

	public double rescaleFactor() {
		return rescaleFactor;
	}

	public boolean doNormalize() {
		return doNormalize;
	}

	/** Per-channel mean (R, G, B), a copy. */
	public double[] mean() {
		return mean.clone();
	}

	/** Per-channel standard deviation (R, G, B), a copy. */
	public double[] std() {
		return std.clone();
	}

	@Override
	public boolean equals(Object obj) {
		if (this == obj) return true;
		if (!(obj instanceof ImagePreprocessing)) return false;
		ImagePreprocessing p = (ImagePreprocessing) obj;
		return doResize == p.doResize && shortestEdge == p.shortestEdge && resizeHeight == p.resizeHeight
			&& resizeWidth == p.resizeWidth && doCenterCrop == p.doCenterCrop && cropHeight == p.cropHeight
			&& cropWidth == p.cropWidth && doRescale == p.doRescale
			&& Double.compare(rescaleFactor, p.rescaleFactor) == 0 && doNormalize == p.doNormalize
			&& Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
	}

	@Override
	public int hashCode() {
		return Objects.hash(doResize, shortestEdge, resizeHeight, resizeWidth, doCenterCrop, cropHeight, cropWidth,
			doRescale, rescaleFactor, doNormalize, Arrays.hashCode(mean), Arrays.hashCode(std));
	}

	@Override
	public String toString() {
		String resize = !doResize ? "no resize" : shortestEdge > 0 ? "shortest edge " + shortestEdge
			: "resize " + resizeHeight + "x" + resizeWidth;
		return "ImagePreprocessing[" + resize + ", " + (doCenterCrop ? "crop " + cropHeight + "x" + cropWidth : "no crop")
			+ ", " + (doRescale ? "rescale " + rescaleFactor : "no rescale") + ", "
			+ (doNormalize ? "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std) : "no normalize") + "]";
	}

	/** Mutable settings for {@link ImagePreprocessing}; starts from transformers' defaults. */
	public static final class Builder {
		private boolean doResize = true;
		private int shortestEdge = DEFAULT_SIZE;
		private int resizeHeight;
		private int resizeWidth;
		private boolean doCenterCrop = true;
		private int cropHeight = DEFAULT_SIZE;
		private int cropWidth = DEFAULT_SIZE;
		private boolean doRescale = true;
		private double rescaleFactor = 1 / 255.0;
		private boolean doNormalize = true;
		private double[] mean = OPENAI_CLIP_MEAN.clone();
		private double[] std = OPENAI_CLIP_STD.clone();

		private Builder() {}

		public Builder doResize(boolean value) {
			doResize = value;
			return this;
		}

		/** Resize keeping the aspect ratio so that the shorter side becomes {@code size}. */
		public Builder shortestEdge(int size) {
			shortestEdge = size;
			if (size > 0) {
				resizeHeight = 0;
				resizeWidth = 0;
			}
			return this;
		}

		/** Resize to exactly {@code height x width}, instead of to a shortest edge. */
		public Builder resize(int height, int width) {
			if (height > 0 && width > 0) shortestEdge = 0;
			resizeHeight = height;
			resizeWidth = width;
			return this;
		}

		public Builder doCenterCrop(boolean value) {
			doCenterCrop = value;
			return this;
		}

		public Builder cropSize(int height, int width) {
			cropHeight = height;
			cropWidth = width;
			return this;
		}

		public Builder doRescale(boolean value) {
			doRescale = value;
			return this;
		}

		public Builder rescaleFactor(double value) {
			rescaleFactor = value;
			return this;
		}

		public Builder doNormalize(boolean value) {
			doNormalize = value;
			return this;
		}

		public Builder mean(double... rgb) {
			mean = rgb.clone();
			return this;
		}

		public Builder std(double... rgb) {
			std = rgb.clone();
			return this;
		}

		public ImagePreprocessing build() {
			return new ImagePreprocessing(this);
		}
	}
}
