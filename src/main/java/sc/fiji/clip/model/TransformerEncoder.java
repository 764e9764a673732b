package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/** A stack of {@link EncoderLayer}s sharing one attention mask. */
final class TransformerEncoder {

	private final List<EncoderLayer> layers = new ArrayList<>();

	TransformerEncoder(ClipWeights w, String prefix, EncoderConfig c) {
		for (int i = 0; i < c.num_hidden_layers; i++) layers.add(new EncoderLayer(w, prefix + ".layers." + i, c));
	}

	NDArray forward(NDArray x, NDArray mask) {
		NDArray h = x;
		for (EncoderLayer layer : layers) h = layer.forward(h, mask);
		return h;
	}
}
