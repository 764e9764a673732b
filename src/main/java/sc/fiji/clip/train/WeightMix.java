package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipWeights;

/**
 * WiSE-FT (Wortsman et al., 2022): the fine-tuned model that is saved is {@code start + alpha * (tuned - start)}, a
 * point on the line between the model fine-tuning started from and where it ended, which keeps much of what the
 * start knew (less forgetting) for part of what the fine-tuning learnt. Holds a copy of the starting weights of
 * the trainable tensors; checkpoints keep the unmixed weights, so a resumed run goes on from them.
 */
final class WeightMix implements AutoCloseable {

	private final NDManager manager;
	private final Map<String, NDArray> start = new LinkedHashMap<>();
	private final double alpha;

	/** The starting weights of {@code trainable}'s names, read from the model file {@code from}. */
	WeightMix(Path from, ClipModel model, double alpha) {
		this.alpha = alpha;
		this.manager = model.weights().manager().newSubManager();
		try (ClipModel original = ModelFiles.load(from, model.device())) {
			Map<String, NDArray> weights = original.weights().byName();
			for (String name : model.weights().trainableByName().keySet()) {
				// a copy of the values in this manager's own memory: the original model is closed below
				NDArray w = weights.get(name);
				NDArray copy = manager.zeros(w.getShape(), w.getDataType(), model.device());
				copy.set(w.toByteBuffer());
				start.put(name, copy);
			}
		}
	}

	/** The weight of the fine-tuned weights, in (0, 1). */
	double alpha() {
		return alpha;
	}

	/** The result of {@code work} run with the mixed weights in the model; the tuned weights after. */
	<T> T mixed(ClipWeights weights, Supplier<T> work) {
		Map<String, NDArray> current = weights.byName();
		Map<String, ByteBuffer> kept = new LinkedHashMap<>();
		try (NDManager scope = manager.newSubManager()) {
			start.forEach((name, s) -> {
				NDArray w = current.get(name);
				kept.put(name, copy(w.toByteBuffer()));
				NDArray local = scope.zeros(s.getShape(), s.getDataType(), s.getDevice()); // the results below live in the scope
				local.set(s.toByteBuffer());
				// a float alpha: a double one makes PyTorch promote 0-d tensors (logit_scale) to float64
				w.set(local.add(local.neg().add(w).mul((float) alpha)).toType(w.getDataType(), false).toByteBuffer());
			});
		}
		weights.contentsChanged();
		try {
			return work.get();
		} finally {
			kept.forEach((name, bytes) -> current.get(name).set(bytes));
			weights.contentsChanged();
		}
	}

	private static ByteBuffer copy(ByteBuffer b) {
		ByteBuffer c = ByteBuffer.allocateDirect(b.remaining()).order(b.order());
		c.put(b.duplicate()).flip();
		return c;
	}

	@Override
	public void close() {
		manager.close();
	}
}
