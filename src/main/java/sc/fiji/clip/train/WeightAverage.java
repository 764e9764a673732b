package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.engine.OwnedArrays;
import sc.fiji.clip.model.ClipWeights;

/**
 * An exponential moving average of the weights (Polyak averaging, as timm's {@code ModelEma}): after each step every
 * average moves a fraction {@code 1 - d} of the way to its weight, with {@code d = min(decay, (1 + t) / (10 + t))}
 * at update {@code t} so that the random initial weights are soon forgotten. The average of a noisy end of
 * training often labels better than its last weights; the trainer evaluates and saves the model with the averages
 * {@linkplain #swap swapped in}. The averages live in a sub-manager of the weights' manager.
 */
public final class WeightAverage implements AutoCloseable {

	/** Prefix of the averages' names in a checkpoint. */
	static final String PREFIX = "average.";

	private final NDManager manager;
	private final double decay;
	private final Map<String, NDArray> averages = new LinkedHashMap<>();
	private int updates;

	/** Averages of {@code weights} (name to array), starting at their current values. */
	public WeightAverage(NDManager parent, Map<String, NDArray> weights, double decay) {
		if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("decay must be in (0, 1), was " + decay);
		this.manager = parent.newSubManager();
		this.decay = decay;
		weights.forEach((name, w) -> averages.put(name, OwnedArrays.copy(w, manager)));
	}

	/** The decay of update {@code t} (0-based). */
	double decayAt(int t) {
		return Math.min(decay, (1.0 + t) / (10.0 + t));
	}

	/**
	 * Moves every average towards its weight in {@code weights}; the arrays are shared out over {@code threads}
	 * (null: the caller's thread), as the optimizer's update.
	 */
	public void update(Map<String, NDArray> weights, BatchThreads threads) {
		float rate = (float) (1 - decayAt(updates++));
		List<String> names = new ArrayList<>(averages.keySet());
		BatchThreads.forEachBalanced(threads, names, name -> averages.get(name).size(), name -> {
			NDArray average = averages.get(name);
			try (NDArray step = weights.get(name).sub(average)) {
				average.addi(step.muli(rate));
			}
		});
	}

	/**
	 * As {@link #swap(Map)} for a model's weights, which are then told their contents changed, so that what frozen
	 * weights derive for inference (stacked attention projections) follows the swap.
	 */
	public void swap(ClipWeights weights) {
		swap(weights.byName());
		weights.contentsChanged();
	}

	/** Exchanges the contents of each weight of {@code weights} and its average; a second swap undoes the first. */
	public void swap(Map<String, NDArray> weights) {
		averages.forEach((name, average) -> {
			NDArray weight = weights.get(name);
			ByteBuffer kept = copyOf(weight.toByteBuffer());
			weight.set(average.toByteBuffer());
			average.set(kept);
		});
	}

	/** Number of updates made. */
	public int updateCount() {
		return updates;
	}

	/** The averages as named arrays ({@code average.NAME}) for a checkpoint. */
	public NDList state() {
		NDList list = new NDList();
		averages.forEach((name, a) -> {
			a.setName(PREFIX + name);
			list.add(a);
		});
		return list;
	}

	/** Restores averages saved by {@link #state()} (copied into this average's memory) and the update count. */
	public void restore(NDList state, int updateCount) {
		for (NDArray a : state) {
			String name = a.getName();
			if (name == null || !name.startsWith(PREFIX)) continue;
			NDArray old = averages.put(name.substring(PREFIX.length()), OwnedArrays.copy(a, manager));
			if (old != null) old.close();
		}
		updates = updateCount;
	}

	private static ByteBuffer copyOf(ByteBuffer b) {
		ByteBuffer c = ByteBuffer.allocateDirect(b.remaining()).order(b.order());
		c.put(b.duplicate());
		return c.flip();
	}

	@Override
	public void close() {
		manager.close();
	}
}
