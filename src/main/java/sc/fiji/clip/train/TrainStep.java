package sc.fiji.clip.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.engine.SharedGradients;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ContrastiveLoss;

/**
 * One optimisation step of the training recipe on one batch: the contrastive loss of the batch's images and
 * captions (soft targets over equal keys if asked), its backward pass and an AdamW update, all arrays in a scope
 * freed when the step ends. On the CPU the images are encoded in shares side by side ({@link ImageShards}). A
 * step whose loss is not finite or above {@link #DIVERGED} leaves the weights alone.
 * <p>
 * The {@link Trainer}'s step, also used by benchmarks so that they time exactly it. The caller unfreezes the
 * model's weights ({@code setTrainable(true)}) before stepping.
 */
public final class TrainStep implements AutoCloseable {

	/** A loss above this (or not finite) means the training diverged; ln(batch) is the loss of a random model. */
	public static final float DIVERGED = 1e3f;

	/** Hears the end of each phase of a step: input, forward, backward, sync (the loss read back), update. */
	public interface Phases {
		Phases NONE = phase -> {};

		void ended(String phase);
	}

	private final ClipModel model;
	private final AdamW adam;
	private final boolean softTargets;
	private final Map<String, NDArray> parameters;
	private final boolean imageTrains;
	private final ImageShards shards;

	/**
	 * @param shares image shares per batch: 1 encodes a batch as one, 0 {@link BatchThreads#defaultCount}
	 */
	public TrainStep(ClipModel model, AdamW adam, boolean softTargets, int shares) {
		this.model = model;
		this.adam = adam;
		this.softTargets = softTargets;
		this.parameters = model.weights().trainableByName();
		this.imageTrains = parameters.keySet().stream().anyMatch(TowerLock::imageTower);
		int k = shares > 0 ? shares : BatchThreads.defaultCount(model.device());
		shards = k > 1 ? new ImageShards(k) : null;
	}

	/** Number of shares a batch's images are encoded in. */
	public int shares() {
		return shards != null ? shards.count() : 1;
	}

	/**
	 * Trains on {@code n} images given as normalised {@code [n, 3, size, size]} floats in native order in
	 * {@code pixels} (borrowed, not copied) and their captions; {@code positives} are the keys that make two pairs
	 * positives for each other. Returns the loss before the update.
	 */
	public float run(ByteBuffer pixels, List<String> captions, List<String> positives, float lr, float weightDecay,
		Phases phases)
	{
		int n = captions.size(), size = model.imageSize();
		float loss;
		try (NDManager scope = model.newScope()) {
			NDArray x = scope.create(pixels, new Shape(n, 3, size, size), DataType.FLOAT32);
			NDArray targets = softTargets ? ContrastiveLoss.targets(positives, scope) : null;
			phases.ended("input");
			try (GradientCollector collector = SharedGradients.open()) {
				// a locked image tower records no graph: its features are constants, encoded as one batch
				ImageShards.Pass pass = imageTrains && shards != null && n >= shards.count() ? shards.forward(model, x) : null;
				NDArray images = pass != null ? ClipModel.normalize(pass.features()) : model.encodeImages(x);
				NDArray l = ContrastiveLoss.compute(model, images, model.encodeTexts(captions, scope), targets);
				phases.ended("forward");
				collector.backward(l);
				if (pass != null) pass.backward();
				phases.ended("backward");
				loss = l.getFloat();
				phases.ended("sync");
			}
			if (Float.isFinite(loss) && loss <= DIVERGED) {
				adam.step(parameters, lr, weightDecay, threads());
			}
			phases.ended("update");
		}
		return loss;
	}

	/** The threads the image shares run on, which the optimizer's update also uses; null with one share. */
	public BatchThreads threads() {
		return shards != null ? shards.threads() : null;
	}

	/** Stops the share threads. */
	@Override
	public void close() {
		if (shards != null) shards.close();
	}
}
