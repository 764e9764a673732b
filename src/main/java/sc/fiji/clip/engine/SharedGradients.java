package sc.fiji.clip.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gradient collection that several commands can share: DJL's PyTorch engine allows one open
 * {@link GradientCollector} per JVM and throws for a second, so a training and a colour optimisation started side
 * by side in Fiji would fail. Collectors from {@link #open()} take turns instead: each waits for a JVM-wide lock,
 * held from opening to closing (one step's forward and backward pass).
 */
public final class SharedGradients {

	private static final ReentrantLock LOCK = new ReentrantLock(true);

	private SharedGradients() {}

	/** A gradient collector, once no other one is open; close it to let the next one in. */
	public static GradientCollector open() {
		LOCK.lock();
		try {
			return new Turn(ClipEngine.get().newGradientCollector());
		} catch (RuntimeException | Error e) {
			LOCK.unlock();
			throw e;
		}
	}

	private static final class Turn implements GradientCollector {

		private final GradientCollector collector;
		private boolean closed;

		Turn(GradientCollector collector) {
			this.collector = collector;
		}

		@Override
		public void backward(NDArray target) {
			collector.backward(target);
		}

		@Override
		public void zeroGradients() {
			collector.zeroGradients();
		}

		@Override
		public void close() {
			if (closed) return;
			closed = true;
			try {
				collector.close();
			} finally {
				LOCK.unlock();
			}
		}
	}
}
