package sc.fiji.clip.label;

import ai.djl.ndarray.NDArray;
import sc.fiji.clip.model.ClipModel;

/**
 * Scores image embeddings against a fixed set of labels: what a {@link ZeroShotLabeller} needs from a classifier.
 * The zero-shot {@link ZeroShotClassifier} scores by text alone; few-shot classifiers
 * ({@code sc.fiji.clip.fewshot}) also use labelled example images. Close it to free its arrays; the model stays open.
 */
public interface ImageScorer extends AutoCloseable {

	/** The labels, in the order of the probabilities. */
	LabelSet labels();

	/** The model whose image embeddings are scored. */
	ClipModel model();

	/**
	 * Probabilities [images, labels] of L2-normalised image embeddings [images, projection], each row summing to 1.
	 * Created in the image embeddings' manager; safe to call from several threads at once.
	 */
	NDArray probabilities(NDArray imageEmbeddings);

	@Override
	void close();
}
