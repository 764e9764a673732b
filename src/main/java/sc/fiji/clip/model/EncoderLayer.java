package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;

/** CLIP's pre-LN transformer layer: {@code x + attn(ln1(x))}, then {@code x + fc2(act(fc1(ln2(x))))}. */
final class EncoderLayer {

	private final LayerNorm norm1, norm2;
	private final SelfAttention attention;
	private final Linear fc1, fc2;
	private final Activation activation;

	EncoderLayer(ClipWeights w, String prefix, EncoderConfig c) {
		norm1 = new LayerNorm(w, prefix + ".layer_norm1", c.layer_norm_eps);
		attention = new SelfAttention(w, prefix + ".self_attn", c);
		norm2 = new LayerNorm(w, prefix + ".layer_norm2", c.layer_norm_eps);
		fc1 = new Linear(w, prefix + ".mlp.fc1", true);
		fc2 = new Linear(w, prefix + ".mlp.fc2", true);
		activation = Activation.parse(c.hidden_act);
	}

	NDArray forward(NDArray x, NDArray mask) {
		NDArray h = x.add(attention.forward(norm1.forward(x), mask));
		return h.add(fc2.forward(activation.apply(fc1.forward(norm2.forward(h)))));
	}
}
