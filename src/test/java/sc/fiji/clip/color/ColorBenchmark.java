package sc.fiji.clip.color;

import ai.djl.Device;
import java.util.Locale;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/**
 * Wall time of 100 colour steps on fresh (random) tiny, seed and small models; not a JUnit test. Run with the test
 * class path and {@code OMP_WAIT_POLICY=PASSIVE} as the launcher and the tests have it:
 * {@code java -cp ... sc.fiji.clip.color.ColorBenchmark [threads] [steps]} (default 2 threads, 100 steps).
 * Prints one warm-up run and the median of three timed runs per preset, and the same for a palette of 4 and a 8×8
 * image.
 */
public final class ColorBenchmark {

	private ColorBenchmark() {}

	public static void main(String[] args) {
		int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
		int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
		ClipEngine.setThreads(threads);
		System.out.printf(Locale.ROOT, "colour optimisation, %d steps, early stop off, %d libtorch threads (%d cores), "
			+ "OMP_WAIT_POLICY=%s, %s%n", steps, ClipEngine.threads(), Runtime.getRuntime().availableProcessors(),
			System.getenv("OMP_WAIT_POLICY"), ClipEngine.libtorchDescription());
		for (ClipPreset preset : ClipPreset.values()) {
			try (ClipModel model = ClipModel.create(preset.config(), 1, Device.cpu())) {
				ColorOptions one = ColorOptions.builder().steps(steps).earlyStop(0, 0).build();
				time(model, preset + " (" + model.imageSize() + " px), 1 colour", one);
				time(model, preset + ", palette of 4", one.toBuilder().colors(4).build());
				time(model, preset + ", 8x8 image", one.toBuilder().size(8).build());
			}
		}
	}

	private static void time(ClipModel model, String what, ColorOptions options) {
		ColorOptimizer optimizer = new ColorOptimizer(model);
		optimizer.optimize("the color of a banana", options.toBuilder().steps(5).build());
		double[] seconds = new double[3];
		ColorResult r = null;
		for (int i = 0; i < seconds.length; i++) {
			long t0 = System.nanoTime();
			r = optimizer.optimize("the color of a banana", options);
			seconds[i] = (System.nanoTime() - t0) / 1e9;
		}
		java.util.Arrays.sort(seconds);
		System.out.printf(Locale.ROOT, "  %-32s %7.2f s  (%.1f ms/step; runs %.2f..%.2f s; %s)%n", what, seconds[1],
			seconds[1] * 1000 / options.steps(), seconds[0], seconds[2], r.color().hex());
	}
}
