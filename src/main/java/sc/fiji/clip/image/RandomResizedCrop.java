package sc.fiji.clip.image;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Training augmentation as torchvision's {@code RandomResizedCrop} followed by optional random flips: a random
 * rectangle covering a random fraction of the image area with a random aspect ratio (log-uniform) is resized with
 * Pillow's bicubic to the processor's crop size and normalised exactly as {@link ClipImageProcessor} does, so
 * augmented training images and inference images share one pixel pipeline.
 * <p>
 * All randomness comes from the {@link Random} passed in, so a seed reproduces the output. Instances are immutable
 * and thread-safe (a {@code Random} should not be shared across threads).
 */
public final class RandomResizedCrop {

	private static final int TRIES = 10;

	private final ClipImageProcessor processor;
	private final double minScale, maxScale;
	private final double minRatio, maxRatio;
	private final double horizontalFlip, verticalFlip;

	/** torchvision's defaults for CLIP fine-tuning: area fraction {@code [0.8, 1]}, ratio {@code [3/4, 4/3]}, no flips. */
	public RandomResizedCrop(ClipImageProcessor processor) {
		this(processor, 0.8, 1.0, 3.0 / 4.0, 4.0 / 3.0, 0, 0);
	}

	/**
	 * @param minScale smallest fraction of the image area to keep
	 * @param maxScale largest fraction of the image area to keep
	 * @param minRatio smallest width / height of the rectangle
	 * @param maxRatio largest width / height of the rectangle
	 * @param horizontalFlip probability of mirroring left-right
	 * @param verticalFlip probability of mirroring top-bottom
	 */
	public RandomResizedCrop(ClipImageProcessor processor, double minScale, double maxScale, double minRatio,
			double maxRatio, double horizontalFlip, double verticalFlip) {
		if (!(0 < minScale && minScale <= maxScale) || !(0 < minRatio && minRatio <= maxRatio)) {
			throw new IllegalArgumentException("need 0 < minScale <= maxScale and 0 < minRatio <= maxRatio");
		}
		if (!(horizontalFlip >= 0 && horizontalFlip <= 1 && verticalFlip >= 0 && verticalFlip <= 1)) {
			throw new IllegalArgumentException("flip probabilities must be in [0, 1]");
		}
		this.processor = processor;
		this.minScale = minScale;
		this.maxScale = maxScale;
		this.minRatio = minRatio;
		this.maxRatio = maxRatio;
		this.horizontalFlip = horizontalFlip;
		this.verticalFlip = verticalFlip;
	}

	/** Output height: the processor's crop height. */
	public int outputHeight() {
		return processor.settings().cropHeight();
	}

	/** Output width: the processor's crop width. */
	public int outputWidth() {
		return processor.settings().cropWidth();
	}

	/** Number of floats {@link #applyInto} writes. */
	public int outputLength() {
		return 3 * outputHeight() * outputWidth();
	}

	/** One augmented sample, normalised {@code [3, height, width]}. */
	public float[] apply(RgbImage image, Random random) {
		float[] out = new float[outputLength()];
		applyInto(image, random, out, 0);
		return out;
	}

	/** Writes one augmented sample into {@code dst} from {@code offset}, e.g. one image of a batch. */
	public void applyInto(RgbImage image, Random random, float[] dst, int offset) {
		applyInto(image, random, FloatBuffer.wrap(dst), offset);
	}

	/** As {@link #applyInto(RgbImage, Random, float[], int)} into a buffer (absolute writes). */
	public void applyInto(RgbImage image, Random random, FloatBuffer dst, int offset) {
		int[] r = sampleRectangle(image.width(), image.height(), random);
		boolean flipH = horizontalFlip > 0 && random.nextDouble() < horizontalFlip;
		boolean flipV = verticalFlip > 0 && random.nextDouble() < verticalFlip;
		RgbImage resized = PilResize.resize(image, r[1], r[0], r[3], r[2], outputWidth(), outputHeight());
		processor.normalize(resized, 0, 0, outputHeight(), outputWidth(), flipH, flipV, dst, offset);
	}

	/**
	 * torchvision's {@code RandomResizedCrop.get_params}: {@code {top, left, height, width}} of the rectangle, with up
	 * to 10 tries before falling back to the largest centred rectangle whose ratio is within bounds.
	 */
	int[] sampleRectangle(int width, int height, Random random) {
		double area = (double) width * height;
		double logMin = Math.log(minRatio), logMax = Math.log(maxRatio);
		for (int i = 0; i < TRIES; i++) {
			double targetArea = area * (minScale + (maxScale - minScale) * random.nextDouble());
			double ratio = Math.exp(logMin + (logMax - logMin) * random.nextDouble());
			int w = (int) Math.rint(Math.sqrt(targetArea * ratio));
			int h = (int) Math.rint(Math.sqrt(targetArea / ratio));
			if (0 < w && w <= width && 0 < h && h <= height) {
				int top = random.nextInt(height - h + 1);
				int left = random.nextInt(width - w + 1);
				return new int[] {top, left, h, w};
			}
		}
		double inRatio = (double) width / height;
		int w = width, h = height;
		if (inRatio < minRatio) {
			h = Math.max(1, (int) Math.rint(w / minRatio));
		} else if (inRatio > maxRatio) {
			w = Math.max(1, (int) Math.rint(h * maxRatio));
		}
		return new int[] {(height - h) / 2, (width - w) / 2, h, w};
	}
}
