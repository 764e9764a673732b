package sc.fiji.clip.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The batches of one epoch, drawn from the seed and the epoch number alone: a shuffled order of images (so a batch
 * never holds an image twice) and one caption per image. A resumed training regenerates the same plan and skips
 * the batches it has done.
 */
final class EpochPlan {

	private final int[] order;
	private final String[] captions;
	private final String[] positives;
	private final int batchSize;
	private final long seed;

	EpochPlan(TrainingData data, int epoch, long seed, int batchSize) {
		Random random = new Random(seed * 1_000_003L + epoch);
		int n = data.size();
		order = new int[n];
		for (int i = 0; i < n; i++) order[i] = i;
		for (int i = n - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		captions = new String[n];
		positives = new String[n];
		for (int i = 0; i < n; i++) {
			List<String> options = data.captions(order[i]);
			captions[i] = options.get(random.nextInt(options.size()));
			String cls = data.className(order[i]);
			positives[i] = cls != null ? "class:" + cls : "caption:" + captions[i];
		}
		this.batchSize = Math.min(batchSize, n);
		this.seed = random.nextLong();
	}

	/** Number of batches; a last batch of a single image is dropped (a contrastive batch needs two). */
	int batches() {
		int full = order.length / batchSize;
		return order.length % batchSize >= 2 ? full + 1 : full;
	}

	int[] images(int batch) {
		int from = batch * batchSize;
		return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
	}

	List<String> captions(int batch) {
		int from = batch * batchSize;
		return new ArrayList<>(Arrays.asList(captions).subList(from, Math.min(order.length, from + batchSize)));
	}

	/**
	 * What makes two pairs of a batch positives for each other: the same class when the data has classes (captions
	 * from different templates then still agree), else the same caption.
	 */
	List<String> positives(int batch) {
		int from = batch * batchSize;
		return new ArrayList<>(Arrays.asList(positives).subList(from, Math.min(order.length, from + batchSize)));
	}

	/** Seed of the augmentation of one batch. */
	long augmentationSeed(int batch) {
		return seed + 0x9E3779B97F4A7C15L * (batch + 1);
	}
}
