package sc.fiji.clip.search;

/** One result of a search: its rank (1 = best), its cosine with the query, and the indexed plane. */
public final class SearchHit {

	private final int rank;
	private final float score;
	private final long row;
	private final IndexedPlane plane;

	SearchHit(int rank, float score, long row, IndexedPlane plane) {
		this.rank = rank;
		this.score = score;
		this.row = row;
		this.plane = plane;
	}

	/** 1 for the best match. */
	public int rank() {
		return rank;
	}

	/** Cosine similarity with the query, in [-1, 1]. */
	public float score() {
		return score;
	}

	/** The row of the index. */
	public long row() {
		return row;
	}

	/** The plane found. */
	public IndexedPlane plane() {
		return plane;
	}

	@Override
	public String toString() {
		return "#" + rank + " " + score + " " + plane;
	}
}
