package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack of {@link EncoderLayer}s sharing one attention mask. With frozen weights and an input that is not a leaf
 * needing a gradient, each layer's intermediate arrays live in a scope of their own, freed when the layer is done,
 * so a batch holds one layer's intermediates at a time rather than all of them; otherwise they stay until the
 * batch's scope closes. Autograd may still record such a pass: a colour's pixels are computed from a leaf, which
 * DJL's {@code hasGradient} does not report for them. That is safe because every tensor a layer makes, its
 * scalars included ({@code Scalars}), lives in libtorch's memory, which autograd keeps alive after the Java handle
 * is closed.
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
