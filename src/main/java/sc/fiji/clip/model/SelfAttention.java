package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import sc.fiji.clip.engine.Scalars;

/**
 * Multi-head scaled dot-product self-attention with q/k/v/out projections, as CLIP's {@code CLIPAttention}. With
 * frozen weights the three projections are one matrix product with {@link FusedProjection}'s stacked weights (the
 * query's scale folded in) whose heads are split by one call: 6 native calls a layer instead of 11, which is much
 * of a small model's encoding time.
 */
final class SelfAttention {

	private final ClipWeights weights;
	private final Linear q, k, v, out;
	private final FusedProjection qkv;
	private final int heads;
	private final float scale;

	SelfAttention(ClipWeights w, String prefix, EncoderConfig c) {
		weights = w;
		q = new Linear(w, prefix + ".q_proj", true);
		k = new Linear(w, prefix + ".k_proj", true);
		v = new Linear(w, prefix + ".v_proj", true);
		out = new Linear(w, prefix + ".out_proj", true);
		heads = c.num_attention_heads;
		scale = (float) Math.pow(c.headSize(), -0.5);
		qkv = new FusedProjection(w, prefix, scale);
	}

	/** {@code x}: [batch, tokens, width]; {@code mask}: additive, broadcastable to [batch, heads, tokens, tokens], or null. */
	NDArray forward(NDArray x, NDArray mask) {
		Shape s = x.getShape();
		long b = s.get(0), t = s.get(1), e = s.get(2);
		NDArray qh, kh, vh;
		if (weights.isTrainable()) {
			NDArray qx = q.forward(x);
			qh = splitHeads(qx.mul(Scalars.of(qx, scale)), b, t, e);
			kh = splitHeads(k.forward(x), b, t, e);
			vh = splitHeads(v.forward(x), b, t, e);
		} else {
			NDList parts = qkv.forward(x).reshape(b, t, 3L * heads, e / heads).transpose(0, 2, 1, 3).split(3, 1);
			qh = parts.get(0);
			kh = parts.get(1);
			vh = parts.get(2);
		}
		NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
		if (mask != null) scores = scores.add(mask);
		NDArray context = scores.softmax(-1).matMul(vh);
		return out.forward(context.transpose(0, 2, 1, 3).reshape(b, t, e));
	}

	private NDArray splitHeads(NDArray x, long b, long t, long e) {
		return x.reshape(b, t, heads, e / heads).transpose(0, 2, 1, 3);
	}
}
