package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link EncoderLayer}s sharing one attention mask. Without gradients (frozen weights, an input that
 * needs none) each layer's intermediate arrays live in a scope of their own, freed when the layer is done, so a
 * batch holds one layer's intermediates at a time rather than all of them. With gradients they stay until the
 * batch's scope closes: autograd keeps some tensors whose memory Java owns (see {@code Scalars}) for the backward
 * pass, and freeing them early gives NaN gradients.
 */
final class TransformerEncoder {

	private final List<EncoderLayer> layers = new ArrayList<>();
	private final ClipWeights weights;

	TransformerEncoder(ClipWeights w, String prefix, EncoderConfig c) {
		weights = w;
		for (int i = 0; i < c.num_hidden_layers; i++) layers.add(new EncoderLayer(w, prefix + ".layers." + i, c));
	}

	NDArray forward(NDArray x, NDArray mask) {
		NDArray h = x;
		if (weights.isTrainable() || x.hasGradient()) {
			for (EncoderLayer layer : layers) h = layer.forward(h, mask);
			return h;
		}
		NDManager outer = x.getManager();
		for (EncoderLayer layer : layers) {
			NDArray next;
			try (NDManager scope = outer.newSubManager()) {
				h.tempAttach(scope);
				next = layer.forward(h, mask);
				next.attach(outer);
			}
			if (h != x) h.close();
			h = next;
		}
		return h;
	}
}
