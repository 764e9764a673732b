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
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.model.ClipModel;

/**
 * The benchmarks' "encode only" figure: images per second of {@code encodeImages} on batches preprocessed
 * beforehand, each into its own native buffer as {@link ZeroShotLabeller} preprocesses a batch, which the engine
 * reads in place; PyTorch's figure is the same on tensors made beforehand.
 */
public final class EncodeOnly {

	private EncodeOnly() {}

	public static double imagesPerSecond(ClipModel model, ImagePlus images, int batch) {
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
		long t0 = System.nanoTime();
		for (ByteBuffer pixels : batches) {
			try (NDManager scope = model.newScope()) {
				int m = pixels.capacity() / Float.BYTES / length;
				model.encodeImages(scope.create(pixels, new Shape(m, 3, size, size), DataType.FLOAT32)).toFloatArray();
			}
		}
		return n / ((System.nanoTime() - t0) / 1e9);
	}
}
