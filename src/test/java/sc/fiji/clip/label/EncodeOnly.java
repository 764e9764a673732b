package sc.fiji.clip.label;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.model.ClipModel;

/**
 * The benchmarks' "encode only" figure: images per second of {@code encodeImages} on batches preprocessed
 * beforehand, each into its own native buffer as {@link ZeroShotLabeller} preprocesses a batch, which the engine
 * reads in place; PyTorch's figure is the same on tensors made beforehand. {@link #imagesPerSecond} encodes them as
 * the labeller does ({@link EncodingPipeline#defaultParallelBatches} batches side by side, one core each on the CPU);
 * {@link #oneAtATime} one batch after the other on all the engine's cores, as PyTorch's loop does.
 */
public final class EncodeOnly {

	private EncodeOnly() {}

	/** As the labeller encodes: batches side by side on {@link BatchThreads}, in order. */
	public static double imagesPerSecond(ClipModel model, ImagePlus images, int batch) {
		List<ByteBuffer> batches = preprocess(model, images, batch);
		try (BatchThreads threads = BatchThreads.start(EncodingPipeline.defaultParallelBatches(model), "encode-only")) {
			long t0 = System.nanoTime();
			List<Future<float[]>> encoded = new ArrayList<>();
			for (ByteBuffer pixels : batches) encoded.add(threads.submit(() -> encode(model, pixels)));
			for (Future<float[]> f : encoded) Tasks.result(f, "Encoding");
			return images.getStackSize() / ((System.nanoTime() - t0) / 1e9);
		}
	}

	/** One batch after the other on the calling thread, each on all the engine's cores. */
	public static double oneAtATime(ClipModel model, ImagePlus images, int batch) {
		List<ByteBuffer> batches = preprocess(model, images, batch);
		long t0 = System.nanoTime();
		for (ByteBuffer pixels : batches) encode(model, pixels);
		return images.getStackSize() / ((System.nanoTime() - t0) / 1e9);
	}

	private static float[] encode(ClipModel model, ByteBuffer pixels) {
		int size = model.imageSize(), length = 3 * size * size;
		try (NDManager scope = model.newScope()) {
			int m = pixels.capacity() / Float.BYTES / length;
			return model.encodeImages(scope.create(pixels, new Shape(m, 3, size, size), DataType.FLOAT32)).toFloatArray();
		}
	}

	private static List<ByteBuffer> preprocess(ClipModel model, ImagePlus images, int batch) {
		ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		int size = model.imageSize(), length = 3 * size * size, n = images.getStackSize();
		List<ByteBuffer> batches = new ArrayList<>();
		for (int start = 0; start < n; start += batch) {
			int m = Math.min(batch, n - start);
			ByteBuffer pixels = ByteBuffer.allocateDirect(m * length * Float.BYTES).order(ByteOrder.nativeOrder());
			FloatBuffer floats = pixels.asFloatBuffer();
			for (int i = 0; i < m; i++) {
				processor.processInto(RgbConversion.fromProcessor(images.getStack().getProcessor(start + i + 1)), floats,
					i * length);
			}
			batches.add(pixels);
		}
		return batches;
	}
}
