package sc.fiji.clip.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.VisionConfig;

/**
 * Cost of a ViT-B/32-shaped CLIP (Hugging Face's default config, random weights): labelling throughput on a stack
 * of 224 px RGB planes, the machine's fp32 matrix-multiply rate measured through the same libtorch, and the fraction
 * of it the image encoder reaches. Not a unit test: {@code java -cp ... sc.fiji.clip.bench.LargeModelCost
 * [threads=2] [images=256] [model=bench/work/vit-b-32.zip] [json=FILE]}; the model file is made when missing.
 */
public final class LargeModelCost {

	public static void main(String[] args) throws Exception {
		Map<String, String> a = Bench.arguments(args);
		int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
		int images = Integer.parseInt(a.getOrDefault("images", "256"));
		Path file = Paths.get(a.getOrDefault("model", "bench/work/vit-b-32.zip"));
		ClipEngine.setThreads(threads);
		ensureModel(file);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("threads", threads);
		double matmul = matmulGflops();
		r.put("matmul_gflops", matmul);
		try (ClipModel model = ModelFiles.load(file, Device.cpu());
			ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of(Bench.TEN_LABELS)))
		{
			ZeroShotLabeller labeller = ZeroShotLabeller.builder(classifier).batchSize(32).topK(3).build();
			labeller.label(List.of(ImagePlanes.input(stack(32, 224))), row -> {});
			long t0 = System.nanoTime();
			int[] rows = { 0 };
			labeller.label(List.of(ImagePlanes.input(stack(images, 224))), row -> rows[0]++);
			double seconds = (System.nanoTime() - t0) / 1e9;
			double perImage = imageGflops(model.config());
			r.put("parameters", model.parameterCount());
			r.put("images", rows[0]);
			r.put("images_per_second", rows[0] / seconds);
			r.put("gflops_per_image", perImage);
			r.put("fraction_of_matmul_rate", rows[0] / seconds * perImage / matmul);
		}
		r.put("peak_rss_mb", Bench.peakRssMb());
		Bench.finish(a, "large-model", r);
	}

	/** Writes a random ViT-B/32-shaped model to {@code file} unless it exists. */
	static void ensureModel(Path file) {
		if (Files.exists(file)) return;
		try (ClipModel model = ClipModel.create(new ClipConfig(), 1, Device.cpu())) {
			ModelFiles.save(model, file);
		}
	}

	/** Floating-point operations (2 per multiply-add) of one image through the vision tower and projection. */
	static double imageGflops(ClipConfig config) {
		VisionConfig v = config.vision_config;
		long grid = v.image_size / v.patch_size, tokens = grid * grid + 1, w = v.hidden_size;
		double patch = grid * grid * 3.0 * v.patch_size * v.patch_size * w;
		double layer = tokens * (4.0 * w * w + 2.0 * w * v.intermediate_size) + 2.0 * tokens * tokens * w;
		return 2 * (patch + v.num_hidden_layers * layer + w * config.projection_dim) / 1e9;
	}

	/** fp32 GFLOP/s of a 2048 x 2048 matrix product on the engine's threads, best of 5 after a warm-up. */
	static double matmulGflops() {
		int n = 2048;
		try (NDManager m = ClipEngine.get().newBaseManager(Device.cpu())) {
			NDArray a = m.randomNormal(new Shape(n, n)), b = m.randomNormal(new Shape(n, n));
			a.matMul(b).close();
			double best = Double.MAX_VALUE;
			for (int i = 0; i < 5; i++) {
				long t0 = System.nanoTime();
				try (NDArray c = a.matMul(b)) {
					c.getFloat(0, 0);
				}
				best = Math.min(best, (System.nanoTime() - t0) / 1e9);
			}
			return 2.0 * n * n * n / best / 1e9;
		}
	}

	private static ImagePlus stack(int planes, int size) {
		Random random = new Random(3);
		ImageStack stack = new ImageStack(size, size);
		for (int p = 0; p < planes; p++) {
			int[] rgb = new int[size * size];
			for (int i = 0; i < rgb.length; i++) rgb[i] = random.nextInt(1 << 24);
			stack.addSlice(new ColorProcessor(size, size, rgb));
		}
		return new ImagePlus("planes", stack);
	}
}
