package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import sc.fiji.clip.engine.Scalars;

/**
 * CLIP's symmetric contrastive loss: the mean of the cross-entropies of image-to-text and text-to-image logits.
 * <p>
 * Targets are the diagonal (each image with its own caption) or soft: pairs with the same key (the same class, or
 * the same caption) are positives for each other and the target mass is spread evenly over them. For exactly equal
 * captions this gives the same loss as the diagonal (their text embeddings are equal); it matters when one class
 * is captioned by several templates, which the diagonal would push apart.
 */
public final class ContrastiveLoss {

	private ContrastiveLoss() {}

	/**
	 * The loss of normalised embeddings {@code images} and {@code texts} ([batch, d], row i of each a pair) with
	 * the model's temperature; {@code targets} from {@link #targets}, or null for the plain diagonal.
	 */
	public static NDArray compute(ClipModel model, NDArray images, NDArray texts, NDArray targets) {
		return compute(model.logits(images, texts), targets);
	}

	/** The loss of logits [batch, batch] (images by texts). */
	public static NDArray compute(NDArray logits, NDArray targets) {
		NDManager scope = logits.getManager();
		long n = logits.getShape().get(0);
		NDArray t = targets != null ? targets : scope.eye((int) n);
		NDArray imageToText = logits.logSoftmax(1).mul(t).sum().neg();
		NDArray textToImage = logits.transpose().logSoftmax(1).mul(t.transpose()).sum().neg();
		NDArray sum = imageToText.add(textToImage);
		return sum.div(Scalars.of(sum, 2f * n));
	}

	/**
	 * Soft targets for a batch of keys (class names or captions): row i spreads 1 evenly over the pairs whose key
	 * equals key i. Returns null when all keys differ (the diagonal).
	 */
	public static NDArray targets(List<String> captions, NDManager scope) {
		int n = captions.size();
		float[] t = new float[n * n];
		boolean repeated = false;
		for (int i = 0; i < n; i++) {
			int equal = 0;
			for (int j = 0; j < n; j++) {
				if (captions.get(i).equals(captions.get(j))) equal++;
			}
			repeated |= equal > 1;
			for (int j = 0; j < n; j++) {
				if (captions.get(i).equals(captions.get(j))) t[i * n + j] = 1f / equal;
			}
		}
		return repeated ? scope.create(t, new Shape(n, n)) : null;
	}
}
