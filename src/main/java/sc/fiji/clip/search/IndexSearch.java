package sc.fiji.clip.search;

import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.WeightsFingerprint;

/** Searches an {@link EmbeddingIndex} with a {@link Query}, checking that the query's model is the index's. */
public final class IndexSearch {

	private final EmbeddingIndex index;
	private final ClipModel model;
	private final ExactSearch search;

	/**
	 * A search of {@code index} with queries embedded by {@code model}, on {@code threads} threads (0: one per core).
	 *
	 * @throws ClipException if {@code model} is not the model the index was made with, or the index is empty
	 */
	public IndexSearch(EmbeddingIndex index, ClipModel model, int threads) {
		String fingerprint = WeightsFingerprint.of(model);
		if (!fingerprint.equals(index.modelFingerprint())) {
			throw new ClipException("Index " + index.folder() + " was made with another model (" + index.modelPath()
				+ ", fingerprint " + index.modelFingerprint().substring(0, 12) + "; this one's is " + fingerprint.substring(0, 12)
				+ "). Search with the index's model, or index the images with this one into a new folder.");
		}
		if (index.size() == 0) {
			throw new ClipException("Index " + index.folder() + " is empty: no image was indexed. Run fiji-clip index on "
				+ "a folder with images.");
		}
		this.index = index;
		this.model = model;
		this.search = new ExactSearch(index.matrix(), threads);
	}

	/** The {@code k} best matches of {@code query}, best first. */
	public List<SearchHit> search(Query query, int k) {
		return search(query.vector(model), k);
	}

	/** The {@code k} best matches of a unit vector, best first. */
	public List<SearchHit> search(float[] vector, int k) {
		if (k < 1) throw new ClipException("The number of hits must be at least 1, not " + k + ".");
		List<SearchHit> hits = new ArrayList<>();
		int rank = 1;
		for (ExactSearch.Scored s : search.top(vector, k)) {
			hits.add(new SearchHit(rank++, s.score(), s.row(), index.plane((int) s.row())));
		}
		return hits;
	}
}
