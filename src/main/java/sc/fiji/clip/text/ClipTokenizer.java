package sc.fiji.clip.text;

import java.util.List;

/**
 * Turns text into the token ids a CLIP text encoder reads.
 * <p>
 * Every implementation wraps a text in its start and end tokens, truncates it to {@link #contextLength()} keeping
 * the end token, and never throws on any string (empty, emoji, control characters). The byte tokenizer serves
 * models trained from scratch; the BPE tokenizer serves pretrained OpenAI/open_clip/Hugging Face weights.
 */
public interface ClipTokenizer {

	/** Ids of one text, start token first and end token last, unpadded, at most {@link #contextLength()} long. */
	int[] encode(String text);

	/** Maximum number of ids per text, start and end tokens included. */
	int contextLength();

	/** Id used to pad texts of a batch to the same length. */
	int padId();

	/** Id of the start-of-text token. */
	int startId();

	/** Id of the end-of-text token; the text embedding is pooled at its position. */
	int endId();

	/** Size of the vocabulary: every id is in {@code [0, vocabularySize())}. */
	int vocabularySize();

	/** Encodes several texts and pads them to the longest one. */
	default TokenBatch encodeBatch(List<String> texts) {
		int[][] ids = new int[texts.size()][];
		for (int i = 0; i < ids.length; i++) ids[i] = encode(texts.get(i));
		return TokenBatch.pad(ids, padId());
	}
}
