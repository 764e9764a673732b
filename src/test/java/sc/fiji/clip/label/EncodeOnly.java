package sc.fiji.clip.label;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbConversion;
import sc.fiji.clip.model.ClipModel;

/**
 * The benchmarks' "encode only" figure: images per second of {@code encodeImages} on batches preprocessed
 * beforehand, each handed to the engine as {@link ZeroShotLabeller} hands it (copied into one reused direct buffer),
 * so the figure is the labeller's encoding and not DJL's slower copy of a heap array.
 */
public final class EncodeOnly {

	private EncodeOnly() {}

	public static double imagesPerSecond(ClipModel model, ImagePlus images, int batch) {
		ClipImageProcessor processor = new ClipImageProcessor(model.preprocessing());
		int size = model.imageSize(), length = 3 * size * size, n = images.getStackSize();
		List<float[]> batches = new ArrayList<>();
		for (int start = 0; start < n; start += batch) {
			int m = Math.min(batch, n - start);
			float[] pixels = new float[m * length];
			for (int i = 0; i < m; i++) {
				processor.processInto(RgbConversion.fromProcessor(images.getStack().getProcessor(start + i + 1)), pixels,
					i * length);
			}
			batches.add(pixels);
		}
		ByteBuffer direct = ByteBuffer.allocateDirect(Math.min(batch, n) * length * Float.BYTES)
			.order(ByteOrder.nativeOrder());
		long t0 = System.nanoTime();
		for (float[] pixels : batches) {
			try (NDManager scope = model.newScope()) {
				int m = pixels.length / length;
				direct.clear().limit(pixels.length * Float.BYTES);
				direct.asFloatBuffer().put(pixels);
				model.encodeImages(scope.create(direct, new Shape(m, 3, size, size), DataType.FLOAT32)).toFloatArray();
			}
		}
		return n / ((System.nanoTime() - t0) / 1e9);
	}
}
