package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link EncoderLayer}s sharing one attention mask. Each layer's intermediate arrays live in a scope of
 * their own, freed when the layer is done, so a batch holds one layer's intermediates at a time rather than all of
 * them; autograd keeps its own references to what a backward pass needs.
 */
final class TransformerEncoder {

	private final List<EncoderLayer> layers = new ArrayList<>();

	TransformerEncoder(ClipWeights w, String prefix, EncoderConfig c) {
		for (int i = 0; i < c.num_hidden_layers; i++) layers.add(new EncoderLayer(w, prefix + ".layers." + i, c));
	}

	NDArray forward(NDArray x, NDArray mask) {
		NDManager outer = x.getManager();
		NDArray h = x;
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
