package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.engine.OwnedArrays;

/**
 * AdamW (decoupled weight decay) over named arrays, with weight decay only where {@code decayed} says so.
 * <p>
 * Each update is DJL's fused {@code adamUpdate} (one native call per array, as DJL's own {@code Adam}), optionally
 * spread over a few threads; unlike DJL's optimizer, the moment estimates and step count are ours, so checkpoints
 * can save them and a resumed training continues exactly. Gradients are zeroed after each step.
 */
public final class AdamW implements AutoCloseable {

	private final NDManager manager;
	private final float beta1, beta2, epsilon;
	private final Predicate<String> decayed;
	private final Map<String, NDArray> means = new LinkedHashMap<>();
	private final Map<String, NDArray> variances = new LinkedHashMap<>();
	private int step;

	/** Moments live in a sub-manager of {@code parent}; {@code decayed} tells which arrays get weight decay. */
	public AdamW(NDManager parent, Predicate<String> decayed) {
		this(parent, decayed, 0.9f, 0.98f, 1e-6f);
	}

	public AdamW(NDManager parent, Predicate<String> decayed, float beta1, float beta2, float epsilon) {
		this.manager = parent.newSubManager();
		this.decayed = decayed;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.epsilon = epsilon;
	}

	/**
	 * Updates every array in {@code parameters} (name to array) from its gradient with learning rate {@code lr} and
	 * weight decay {@code weightDecay}, then zeroes the gradients.
	 */
	public void step(Map<String, NDArray> parameters, float lr, float weightDecay) {
		step(parameters, lr, weightDecay, null);
	}

	/**
	 * As {@link #step(Map, float, float)}, with the arrays split into one group of about equal size per thread of
	 * {@code threads} (null: all on the caller's thread) and the groups updated side by side. Each array's update
	 * is the same whichever thread makes it. For models of the presets' size an update's time is mostly the fixed
	 * cost of its native calls, which the threads share out (a {@code small} step's update: 12-17 ms on one thread,
	 * 6-10 ms on two).
	 */
	public void step(Map<String, NDArray> parameters, float lr, float weightDecay, BatchThreads threads) {
		step++;
		double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
		float corrected = (float) (lr * Math.sqrt(c2) / c1);
		List<Update> updates = new ArrayList<>(parameters.size());
		for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
			String name = e.getKey();
			NDArray weight = e.getValue();
			NDArray mean = means.computeIfAbsent(name, n -> manager.zeros(weight.getShape(), weight.getDataType()));
			NDArray variance = variances.computeIfAbsent(name, n -> manager.zeros(weight.getShape(), weight.getDataType()));
			updates.add(new Update(weight, mean, variance, decayed.test(name) ? weightDecay : 0f));
		}
		BatchThreads.forEachBalanced(threads, updates, u -> u.weight.size(), u -> u.apply(lr, corrected));
	}

	/** One array's update: DJL's fused Adam step with decoupled weight decay, then its gradient zeroed. */
	final class Update {
		final NDArray weight, mean, variance;
		final float weightDecay;

		Update(NDArray weight, NDArray mean, NDArray variance, float weightDecay) {
			this.weight = weight;
			this.mean = mean;
			this.variance = variance;
			this.weightDecay = weightDecay;
		}

		void apply(float lr, float corrected) {
			try (NDArray grad = weight.getGradient()) {
				weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight),
					lr, corrected, weightDecay, 1f, -1f, beta1, beta2, epsilon, false, true);
			}
			JniUtils.zeroGrad((PtNDArray) weight);
		}
	}

	/** Number of steps taken. */
	public int stepCount() {
		return step;
	}

	/** The moments as named arrays ({@code adam.mean.NAME}, {@code adam.variance.NAME}) for a checkpoint. */
	public NDList state() {
		NDList list = new NDList();
		means.forEach((name, a) -> list.add(named(a, "adam.mean." + name)));
		variances.forEach((name, a) -> list.add(named(a, "adam.variance." + name)));
		return list;
	}

	/** Restores moments saved by {@link #state()} (copied into this optimizer's memory) and the step count. */
	public void restore(NDList state, int stepCount) {
		for (NDArray a : state) {
			String name = a.getName();
			if (name == null) continue;
			if (name.startsWith("adam.mean.")) means.put(name.substring(10), OwnedArrays.copy(a, manager));
			else if (name.startsWith("adam.variance.")) variances.put(name.substring(14), OwnedArrays.copy(a, manager));
		}
		step = stepCount;
	}

	private static NDArray named(NDArray a, String name) {
		a.setName(name);
		return a;
	}

	@Override
	public void close() {
		manager.close();
	}
}
