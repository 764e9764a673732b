package sc.fiji.clip.text;

import java.util.Arrays;

/**
 * Token ids of several texts padded to a common length, row-major {@code [size, length]}, with each text's own
 * length (its attention mask is {@code 1} on the first {@code lengths[i]} positions).
 */
public final class TokenBatch {

	private final long[] ids;
	private final int[] lengths;
	private final int length;

	public TokenBatch(long[] ids, int[] lengths, int length) {
		if (ids.length != lengths.length * length) {
			throw new IllegalArgumentException("ids hold " + ids.length + " values, expected " + lengths.length + " x " + length);
		}
		this.ids = ids;
		this.lengths = lengths;
		this.length = length;
	}

	/** Pads texts of different lengths to the longest with {@code padId}. */
	public static TokenBatch pad(int[][] texts, int padId) {
		int length = 1;
		for (int[] t : texts) length = Math.max(length, t.length);
		long[] ids = new long[texts.length * length];
		Arrays.fill(ids, padId);
		int[] lengths = new int[texts.length];
		for (int i = 0; i < texts.length; i++) {
			for (int j = 0; j < texts[i].length; j++) ids[i * length + j] = texts[i][j];
			lengths[i] = texts[i].length;
		}
		return new TokenBatch(ids, lengths, length);
	}

	/** Number of texts. */
	public int size() {
		return lengths.length;
	}

	/** Padded length of every row. */
	public int length() {
		return length;
	}

	/** Row-major ids, {@code size() * length()} values. */
	public long[] ids() {
		return ids;
	}

	/** Unpadded length of text {@code i}. */
	public int length(int i) {
		return lengths[i];
	}

	/** Id at row {@code i}, position {@code j}. */
	public long id(int i, int j) {
		return ids[i * length + j];
	}
}
