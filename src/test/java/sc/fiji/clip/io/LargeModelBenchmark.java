package sc.fiji.clip.io;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.ClipModel;

/**
 * Cost of a ViT-B/32-sized CLIP (Hugging Face's default config: the shapes of openai/clip-vit-base-patch32, random
 * weights): writing and loading its model file, embedding one image and one text, and peak resident memory.
 * Not a unit test: {@code java -cp ... sc.fiji.clip.io.LargeModelBenchmark [threads]}.
 */
public final class LargeModelBenchmark {

	public static void main(String[] args) throws Exception {
		int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		ClipEngine.setThreads(threads);
		Path file = Files.createTempDirectory("vitb32").resolve("vit-b-32.zip");
		ClipConfig config = new ClipConfig();
		long t0 = System.nanoTime();
		try (ClipModel model = ClipModel.create(config, 1, Device.cpu())) {
			System.out.printf("ViT-B/32 shapes: %,d parameters, created in %.1f s%n", model.parameterCount(), (System.nanoTime() - t0) / 1e9);
			t0 = System.nanoTime();
			ModelFiles.save(model, file);
			System.out.printf("saved %.0f MB in %.1f s%n", Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9);
		}
		System.gc();
		long rssBefore = rss("VmRSS");
		t0 = System.nanoTime();
		try (ClipModel model = ModelFiles.load(file, Device.cpu())) {
			double load = (System.nanoTime() - t0) / 1e9;
			float[] pixels = new float[3 * 224 * 224];
			for (int i = 0; i < pixels.length; i++) pixels[i] = (float) Math.sin(i);
			model.embedImages(pixels, 1);
			long t1 = System.nanoTime();
			for (int i = 0; i < 5; i++) model.embedImages(pixels, 1);
			double image = (System.nanoTime() - t1) / 5e6;
			t1 = System.nanoTime();
			for (int i = 0; i < 5; i++) model.embedTexts(List.of("a photo of a cat"));
			double text = (System.nanoTime() - t1) / 5e6;
			System.out.printf("%d threads: load %.1f s, one image %.0f ms, one text %.0f ms; resident memory %d MB before "
				+ "loading, peak %d MB%n", threads, load, image, text, rssBefore / 1024, rss("VmHWM") / 1024);
		}
		Files.deleteIfExists(file);
	}

	private static long rss(String field) throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
		}
		return -1;
	}
}
