package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A batch of images of Gaussian noise, each with a caption of its own: what the optimizer tests train on. */
final class RandomPairs {

	final int count, size;
	final float[] pixels;
	final List<String> captions = new ArrayList<>();

	/** {@code count} images of {@code size}² drawn from {@code seed}, captioned {@code "PREFIX i"}. */
	RandomPairs(int count, int size, long seed, String captionPrefix) {
		this.count = count;
		this.size = size;
		Random random = new Random(seed);
		pixels = new float[count * 3 * size * size];
		for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextGaussian();
		for (int i = 0; i < count; i++) captions.add(captionPrefix + " " + i);
	}

	/** The images as normalised {@code [count, 3, size, size]} pixels in {@code scope}. */
	NDArray images(NDManager scope) {
		return scope.create(pixels, new Shape(count, 3, size, size));
	}
}
