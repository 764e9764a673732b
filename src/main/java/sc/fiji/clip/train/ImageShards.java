package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.model.ClipModel;

/**
 * The image side of a training step split into shares of the batch, each encoded, and later back-propagated, on
 * its own {@link BatchThreads} thread and core. For models of the presets' size this is faster than one pass split
 * op by op across the cores, as in labelling.
 * <p>
 * The loss needs all image features at once, so it is computed on the caller's thread from detached copies of the
 * shares' features ({@link Pass#features()}); after the caller's backward pass, {@link Pass#backward()} hands each
 * share the gradient of its copy and runs the rest of the backward pass on the share's thread. The vision encoder
 * has no operation across images, so this is the same computation as one pass over the batch, up to the order of
 * float sums; with two shares the gradients, which start at zero, are even bit for bit deterministic.
 */
final class ImageShards implements AutoCloseable {

	private final BatchThreads threads;

	ImageShards(int count) {
		threads = BatchThreads.start(count, "fiji-clip-training");
	}

	/** The shares' threads, one core each (the optimizer's update runs on them too). */
	BatchThreads threads() {
		return threads;
	}

	/** Number of shares a batch is split into. */
	int count() {
		return threads.size();
	}

	/** Encodes {@code pixels} [batch, 3, size, size] share by share, recording each share's graph on its thread. */
	Pass forward(ClipModel model, NDArray pixels) {
		long n = pixels.getShape().get(0);
		int k = count();
		List<Future<NDArray>> encoded = new ArrayList<>(k);
		for (int p = 0; p < k; p++) {
			NDArray share = pixels.get(new NDIndex((n * p / k) + ":" + (n * (p + 1) / k)));
			encoded.add(threads.submit(() -> {
				JniUtils.setGradMode(true);
				try {
					return model.imageFeatures(share);
				} finally {
					JniUtils.setGradMode(false);
				}
			}));
		}
		return new Pass(Tasks.all(encoded).toArray(new NDArray[0]));
	}

	@Override
	public void close() {
		threads.close();
	}

	/** One step's image features, share by share. */
	final class Pass {
		private final NDArray[] recorded;
		private final NDArray[] detached;

		private Pass(NDArray[] recorded) {
			this.recorded = recorded;
			detached = new NDArray[recorded.length];
			for (int p = 0; p < recorded.length; p++) {
				detached[p] = recorded[p].stopGradient();
				detached[p].setRequiresGradient(true);
			}
		}

		/** Image features [batch, projection], not normalised, for the loss; gradients stop here. */
		NDArray features() {
			return detached.length == 1 ? detached[0] : NDArrays.concat(new NDList(detached), 0);
		}

		/** Back-propagates the gradients the caller's backward pass left on {@link #features()} into the weights. */
		void backward() {
			List<Future<Void>> done = new ArrayList<>(recorded.length);
			for (int p = 0; p < recorded.length; p++) {
				PtNDArray target = (PtNDArray) recorded[p];
				PtNDArray gradient = (PtNDArray) detached[p].getGradient();
				Callable<Void> task = () -> {
					JniUtils.backward(target, gradient, false, false);
					return null;
				};
				done.add(threads.submit(task));
			}
			Tasks.all(done);
		}
	}
}
