package sc.fiji.clip.text;

import java.nio.charset.StandardCharsets;

/**
 * The tokenizer of models trained from scratch: one token per UTF-8 byte, as in the from-scratch CLIP this project
 * started from. Unlike that seed (start 2, end 3), the special tokens do not share ids with bytes: padding is 0,
 * byte {@code b} is {@code b + 1}, start is 257 and end is 258 — the largest id, so Hugging Face's pooling rules
 * agree on where the text ends. Needs no vocabulary file.
 */
public final class ByteTokenizer implements ClipTokenizer {

	private static final int PAD = 0, START = 257, END = 258, VOCABULARY = 259;

	private final int contextLength;

	/** A tokenizer producing at most {@code contextLength} ids (at least 2: start and end). */
	public ByteTokenizer(int contextLength) {
		if (contextLength < 2) throw new IllegalArgumentException("contextLength must be at least 2, was " + contextLength);
		this.contextLength = contextLength;
	}

	@Override
	public int[] encode(String text) {
		byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
		int n = Math.min(bytes.length, contextLength - 2);
		int[] ids = new int[n + 2];
		ids[0] = START;
		for (int i = 0; i < n; i++) ids[i + 1] = (bytes[i] & 0xff) + 1;
		ids[n + 1] = END;
		return ids;
	}

	/** The text of ids made by {@link #encode}, without special tokens (for messages and tests). */
	public String decode(int[] ids) {
		byte[] bytes = new byte[ids.length];
		int n = 0;
		for (int id : ids) {
			if (id >= 1 && id <= 256) bytes[n++] = (byte) (id - 1);
		}
		return new String(bytes, 0, n, StandardCharsets.UTF_8);
	}

	@Override
	public int contextLength() {
		return contextLength;
	}

	@Override
	public int padId() {
		return PAD;
	}

	@Override
	public int startId() {
		return START;
	}

	@Override
	public int endId() {
		return END;
	}

	@Override
	public int vocabularySize() {
		return VOCABULARY;
	}
}
