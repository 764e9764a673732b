package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.text.TokenBatch;

/**
 * CLIP's text encoder: token and position embeddings, a causal transformer that also masks padding, the final
 * layer norm, and the hidden state at each text's end token (Hugging Face's pooling rules).
 */
final class TextTransformer {

	private static final float MASKED = -1e9f;

	private final TextConfig config;
	private final NDArray tokenEmbedding, positionEmbedding;
	private final TransformerEncoder encoder;
	private final LayerNorm finalNorm;

	TextTransformer(ClipWeights w, TextConfig c) {
		config = c;
		tokenEmbedding = w.get("text_model.embeddings.token_embedding.weight");
		positionEmbedding = w.get("text_model.embeddings.position_embedding.weight");
		encoder = new TransformerEncoder(w, "text_model.encoder", c);
		finalNorm = new LayerNorm(w, "text_model.final_layer_norm", c.layer_norm_eps);
	}

	/** Pooled hidden states [batch, width] of the texts, created in {@code scope}. */
	NDArray forward(TokenBatch tokens, NDManager scope) {
		int b = tokens.size(), t = tokens.length();
		NDArray h = hiddenStates(tokens, scope);
		long[] rows = new long[b];
		for (int i = 0; i < b; i++) rows[i] = (long) i * t + endPosition(tokens, i);
		return Embedding.embedding(scope.create(rows), h.reshape(b * (long) t, -1), SparseFormat.DENSE).singletonOrThrow();
	}

	/** Hidden states [batch, tokens, width] after the final layer norm. */
	NDArray hiddenStates(TokenBatch tokens, NDManager scope) {
		int b = tokens.size(), t = tokens.length();
		if (t > config.max_position_embeddings) {
			throw new ClipException("Texts of " + t + " tokens are longer than the model's " + config.max_position_embeddings
				+ " positions; the tokenizer should have truncated them.");
		}
		NDArray ids = scope.create(tokens.ids(), new Shape(b, t));
		NDArray positions = scope.arange(0, t, 1, DataType.INT64);
		NDArray x = Embedding.embedding(ids, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow()
			.add(Embedding.embedding(positions, positionEmbedding, SparseFormat.DENSE).singletonOrThrow());
		return finalNorm.forward(encoder.forward(x, scope.create(mask(tokens), new Shape(b, 1, t, t))));
	}

	/** Additive mask: a position sees itself and earlier positions, never padding. */
	private static float[] mask(TokenBatch tokens) {
		int b = tokens.size(), t = tokens.length();
		float[] mask = new float[b * t * t];
		for (int n = 0; n < b; n++) {
			int length = tokens.length(n);
			for (int i = 0; i < t; i++) {
				int row = (n * t + i) * t;
				for (int j = 0; j < t; j++) {
					if (j > i || (j >= length && i < length)) mask[row + j] = MASKED;
				}
			}
		}
		return mask;
	}

	/**
	 * Where text {@code i} is pooled: legacy configs ({@code eos_token_id == 2}) take the largest id, newer ones the
	 * first {@code eos_token_id}; a text without it is pooled at its last token.
	 */
	int endPosition(TokenBatch tokens, int i) {
		int length = tokens.length(i);
		if (config.poolsAtLargestId()) {
			int best = 0;
			for (int j = 1; j < tokens.length(); j++) {
				if (tokens.id(i, j) > tokens.id(i, best)) best = j;
			}
			return best;
		}
		for (int j = 0; j < length; j++) {
			if (tokens.id(i, j) == config.eos_token_id) return j;
		}
		return Math.max(0, length - 1);
	}
}
