package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import sc.fiji.clip.engine.Scalars;

/** Multi-head scaled dot-product self-attention with q/k/v/out projections, as CLIP's {@code CLIPAttention}. */
final class SelfAttention {

	private final Linear q, k, v, out;
	private final int heads;
	private final float scale;

	SelfAttention(ClipWeights w, String prefix, EncoderConfig c) {
		q = new Linear(w, prefix + ".q_proj", true);
		k = new Linear(w, prefix + ".k_proj", true);
		v = new Linear(w, prefix + ".v_proj", true);
		out = new Linear(w, prefix + ".out_proj", true);
		heads = c.num_attention_heads;
		scale = (float) Math.pow(c.headSize(), -0.5);
	}

	/** {@code x}: [batch, tokens, width]; {@code mask}: additive, broadcastable to [batch, heads, tokens, tokens], or null. */
	NDArray forward(NDArray x, NDArray mask) {
		Shape s = x.getShape();
		long b = s.get(0), t = s.get(1), e = s.get(2);
		NDArray qx = q.forward(x);
		NDArray qh = splitHeads(qx.mul(Scalars.of(qx, scale)), b, t, e);
		NDArray kh = splitHeads(k.forward(x), b, t, e);
		NDArray vh = splitHeads(v.forward(x), b, t, e);
		NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2));
		if (mask != null) scores = scores.add(mask);
		NDArray context = scores.softmax(-1).matMul(vh);
		return out.forward(context.transpose(0, 2, 1, 3).reshape(b, t, e));
	}

	private NDArray splitHeads(NDArray x, long b, long t, long e) {
		return x.reshape(b, t, heads, e / heads).transpose(0, 2, 1, 3);
	}
}
