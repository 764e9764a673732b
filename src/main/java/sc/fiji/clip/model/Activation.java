package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.Scalars;

/** The MLP activations CLIP checkpoints use: OpenAI's {@code quick_gelu} and the exact (erf) {@code gelu}. */
enum Activation {
	QUICK_GELU, GELU;

	static Activation parse(String name) {
		switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
			case "quick_gelu":
				return QUICK_GELU;
			case "gelu":
				return GELU;
			default:
				throw new ClipException("Model config: hidden_act '" + name + "' is not supported; use quick_gelu or gelu.");
		}
	}

	NDArray apply(NDArray x) {
		if (this == GELU) return ai.djl.nn.Activation.gelu(x);
		return x.mul(ai.djl.nn.Activation.sigmoid(x.mul(Scalars.of(x, 1.702f))));
	}
}
