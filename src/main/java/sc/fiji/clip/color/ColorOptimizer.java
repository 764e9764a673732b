package sc.fiji.clip.color;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.SharedGradients;
import sc.fiji.clip.engine.Scalars;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.train.AdamW;

/**
 * Finds the colour (or palette, or small image) that a CLIP model's image encoder places closest to a text prompt.
 * <p>
 * The colour is a 1×1 RGB image spread to the model's input size, normalised with the model's mean and std and
 * encoded by the frozen image encoder (from its three channel values, {@link ClipModel#encodeColors}: the pixels of
 * a one-colour image need not be built); the loss is minus the cosine similarity to the prompt's text embedding,
 * computed once without gradients. AdamW updates the colour alone: the model's weights stay frozen and receive no
 * gradient. Each prompt starts from the most similar colours of a coarse grid ({@link ColorOptions#search()}), encoded
 * once for all prompts.
 * <p>
 * The colour is {@code sigmoid(logit)} and the optimiser moves the logit. This keeps every channel in (0, 1) with a
 * gradient everywhere. Clamping instead (as {@code color.data.clamp(0, 1)} in the usual PyTorch recipe) has zero
 * gradient outside the bounds, and clamping the data in place after each step fights the optimiser: Adam's moments
 * keep pushing past the bound, the clamp silently undoes it, and a channel that wants to leave 0 must first unwind
 * momentum it cannot see.
 * <p>
 * With {@link ColorOptions#colors()} K &gt; 1 a palette of K colours is optimised as one batch, with a repulsion
 * penalty (see {@link ColorOptions#separation()}); with {@link ColorOptions#size()} N &gt; 1 an N×N image is
 * optimised, upsampled bilinearly to the input size inside the graph, with a total-variation penalty. Several prompts
 * are optimised together in one batch (their text embeddings in one pass, their images in one forward), each with
 * its own parameters, optimiser state and early stop, so a prompt's result does not depend on the others.
 */
public final class ColorOptimizer {

	/** Grid colours encoded together in the start search. */
	private static final int SEARCH_BATCH = 256;

	private final ClipModel model;

	/** An optimiser for colours of {@code model}, whose weights must be frozen (the default). */
	public ColorOptimizer(ClipModel model) {
		this.model = model;
	}

	/** Optimises one prompt. */
	public ColorResult optimize(String prompt, ColorOptions options) {
		return optimize(Collections.singletonList(prompt), options, ColorProgress.NONE).get(0);
	}

	/**
	 * Optimises each prompt; returns one result per prompt, in order. {@code progress} hears of each step; when it
	 * cancels, the run records the state it has reached (without a further update) and returns every prompt's steps.
	 */
	public List<ColorResult> optimize(List<String> prompts, ColorOptions options, ColorProgress progress) {
		if (prompts.isEmpty()) throw new ClipException("Give at least one prompt.");
		for (String p : prompts) {
			if (p == null || p.trim().isEmpty()) throw new ClipException("A prompt is empty: describe the colour in words.");
		}
		int side = model.imageSize();
		if (options.size() > side) {
			throw new ClipException("The image size " + options.size() + " is larger than the model's input size " + side
				+ "; choose " + side + " or less.");
		}
		checkFrozen();
		try (Run run = new Run(prompts, options)) {
			return run.execute(progress != null ? progress : ColorProgress.NONE);
		}
	}

	private void checkFrozen() {
		for (String name : model.weights().names()) {
			if (model.weights().get(name).hasGradient()) {
				throw new IllegalStateException("The model's weights are trainable (" + name + "); colours need a frozen "
					+ "model: call weights().setTrainable(false) first.");
			}
		}
	}

	/** One optimisation: its arrays live in one scope of the model, closed at the end. */
	private final class Run implements AutoCloseable {

		private final List<String> prompts;
		private final ColorOptions options;
		private final int count, size, side;
		private final NDManager manager;
		private final AdamW adam;
		private final NDArray texts, mean, std;
		private final Upsampler upsampler;
		private final List<NDArray> logits = new ArrayList<>();
		private final List<List<ColorFrame>> frames = new ArrayList<>();
		private final ColorResult.StopReason[] stopped;
		private final double[] best;
		private final int[] sinceBest;

		Run(List<String> prompts, ColorOptions options) {
			this.prompts = prompts;
			this.options = options;
			count = options.colors();
			size = options.size();
			side = model.imageSize();
			manager = model.newScope();
			try {
				adam = new AdamW(manager, name -> true, 0.9f, 0.999f, 1e-8f);
				texts = model.encodeTexts(prompts, manager).stopGradient();
				// one colour per image is encoded from its channel values alone ([batch, 3]); images from pixels
				Shape channelShape = size > 1 ? new Shape(1, 3, 1, 1) : new Shape(1, 3);
				mean = channels(model.preprocessing().mean(), channelShape);
				std = channels(model.preprocessing().std(), channelShape);
				upsampler = size > 1 ? new Upsampler(size, side) : null;
				List<float[]> starts = startLogits();
				for (int p = 0; p < prompts.size(); p++) {
					NDArray l = manager.create(starts.get(p), new Shape(count, 3, size, size));
					l.setName("color." + p);
					l.setRequiresGradient(true);
					logits.add(l);
					frames.add(new ArrayList<>());
				}
			} catch (RuntimeException e) {
				manager.close();
				throw e;
			}
			stopped = new ColorResult.StopReason[prompts.size()];
			best = new double[prompts.size()];
			java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
			sinceBest = new int[prompts.size()];
		}

		/** Each prompt's start logits: the options' start colours, or the grid colours most similar to the prompt. */
		private List<float[]> startLogits() {
			List<float[]> starts = new ArrayList<>();
			if (options.search() == 0) {
				float[] start = StartColors.logits(options);
				for (int p = 0; p < prompts.size(); p++) starts.add(start);
				return starts;
			}
			Rgb[] grid = StartColors.grid(options.search());
			float[] sims = new float[grid.length * prompts.size()];
			for (int from = 0; from < grid.length; from += SEARCH_BATCH) {
				int n = Math.min(SEARCH_BATCH, grid.length - from);
				float[] rgb = new float[n * 3];
				for (int i = 0; i < n; i++) for (int c = 0; c < 3; c++) rgb[i * 3 + c] = (float) grid[from + i].channel(c);
				try (NDManager scope = model.newScope()) {
					NDArray flat = scope.create(rgb, new Shape(n, 3)).sub(mean.reshape(1, 3)).div(std.reshape(1, 3));
					System.arraycopy(model.encodeColors(flat).matMul(texts.transpose()).toFloatArray(), 0, sims,
						from * prompts.size(), n * prompts.size());
				}
			}
			for (int p = 0; p < prompts.size(); p++) {
				float[] own = new float[grid.length];
				for (int g = 0; g < grid.length; g++) own[g] = sims[g * prompts.size() + p];
				starts.add(StartColors.logits(StartColors.best(grid, own, count), size));
			}
			return starts;
		}

		private NDArray channels(double[] values, Shape shape) {
			float[] f = new float[3];
			for (int c = 0; c < 3; c++) f[c] = (float) values[c];
			return manager.create(f, shape);
		}

		List<ColorResult> execute(ColorProgress progress) {
			int steps = options.steps();
			boolean cancelled = false;
			int reported = 0;
			for (int t = 0; t <= steps && !cancelled; t++) {
				// a cancelled run still records where it got to, without a further update
				cancelled = t < steps && progress.isCancelled();
				List<Integer> active = new ArrayList<>();
				for (int p = 0; p < prompts.size(); p++) {
					if (stopped[p] == null) active.add(p);
				}
				if (active.isEmpty()) break;
				boolean update = t < steps && !cancelled, stepped = false;
				try (NDManager scope = model.newScope()) {
					if (update) {
						try (GradientCollector collector = newCollector()) {
							Forward f = forward(scope, active, true);
							collector.backward(f.loss);
							record(t, active, f, true);
						}
						Map<String, NDArray> parameters = new LinkedHashMap<>();
						for (int p : active) {
							if (stopped[p] == null) parameters.put("color." + p, logits.get(p));
						}
						if (!parameters.isEmpty()) {
							adam.step(parameters, options.learningRate(), options.weightDecay());
							stepped = true;
						}
					} else {
						record(t, active, forward(scope, active, false), false);
					}
				}
				if (stepped) progress.progress(reported = t + 1, steps);
			}
			// every prompt stopped early: the run is done
			if (!cancelled && reported < steps) progress.progress(steps, steps);
			List<ColorResult> results = new ArrayList<>();
			for (int p = 0; p < prompts.size(); p++) {
				ColorResult.StopReason reason = stopped[p] != null ? stopped[p]
					: cancelled ? ColorResult.StopReason.CANCELLED : ColorResult.StopReason.COMPLETED;
				results.add(new ColorResult(prompts.get(p), frames.get(p), reason));
			}
			return results;
		}

		private GradientCollector newCollector() {
			return SharedGradients.open();
		}

		/** Stores the frame of step {@code t} for each active prompt and, if {@code canStop}, applies early stopping. */
		private void record(int t, List<Integer> active, Forward f, boolean canStop) {
			float[] values = f.colors.toFloatArray();
			float[] sims = f.similarities.toFloatArray();
			int per = count * 3 * size * size;
			for (int i = 0; i < active.size(); i++) {
				int p = active.get(i);
				double[] s = new double[count];
				for (int k = 0; k < count; k++) {
					s[k] = sims[i * count + k];
					if (!Double.isFinite(s[k])) {
						throw new ClipException("The model gives no valid similarity for '" + prompts.get(p) + "' at step " + t
							+ " (" + s[k] + "): its weights are probably broken, e.g. by a training that diverged.");
					}
				}
				float[] v = java.util.Arrays.copyOfRange(values, i * per, (i + 1) * per);
				ColorFrame frame = new ColorFrame(t, count, size, v, s);
				frames.get(p).add(frame);
				double m = frame.meanSimilarity();
				if (m > best[p] + options.minDelta()) {
					best[p] = m;
					sinceBest[p] = 0;
				} else if (++sinceBest[p] >= options.patience() && options.patience() > 0 && canStop) {
					stopped[p] = ColorResult.StopReason.CONVERGED;
				}
			}
		}

		/**
		 * Encodes the active prompts' current images in one batch. With {@code differentiable} the graph starts at
		 * the logits; otherwise at a detached copy. All results live in {@code scope}.
		 */
		private Forward forward(NDManager scope, List<Integer> active, boolean differentiable) {
			NDList parts = new NDList();
			for (int p : active) {
				NDArray l = logits.get(p);
				// copies in the scope: an op's result belongs to its first operand's manager
				parts.add(differentiable ? scope.zeros(l.getShape()).add(l) : scope.create(l.toFloatArray(), l.getShape()));
			}
			NDArray colors = Activation.sigmoid(parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0));
			long batch = colors.getShape().get(0);
			NDArray images;
			if (upsampler == null) {
				images = model.encodeColors(colors.reshape(batch, 3).sub(mean).div(std));
			} else {
				NDArray r = scope.create(upsampler.matrix(), new Shape(side, size));
				NDArray rt = scope.create(upsampler.transposed(), new Shape(size, side));
				images = model.encodeImages(r.matMul(colors).matMul(rt).sub(mean).div(std));
			}
			float[] select = new float[(int) batch * prompts.size()];
			for (int i = 0; i < active.size(); i++) {
				for (int k = 0; k < count; k++) select[(i * count + k) * prompts.size() + active.get(i)] = 1;
			}
			NDArray targets = scope.create(select, new Shape(batch, prompts.size())).matMul(texts);
			NDArray similarities = images.mul(targets).sum(new int[] { 1 });
			NDArray loss = null;
			if (differentiable) {
				// constants as arrays from Scalars: DJL's number operands would be freed before the backward pass
				NDArray total = similarities.sum();
				loss = total.mul(Scalars.of(total, -1f / count));
				for (int i = 0; i < active.size(); i++) {
					NDArray own = colors.get(i * count + ":" + (i + 1) * count);
					if (count > 1 && options.separation() > 0) {
						NDArray sep = Penalties.separation(own.reshape(count, 3, -1).mean(new int[] { 2 }), options.separationSigma());
						loss = loss.add(sep.mul(Scalars.of(sep, options.separation())));
					}
					if (size > 1 && options.smoothness() > 0) {
						NDArray tv = Penalties.smoothness(own);
						loss = loss.add(tv.mul(Scalars.of(tv, options.smoothness())));
					}
				}
			}
			return new Forward(colors, similarities, loss);
		}

		@Override
		public void close() {
			manager.close();
		}
	}

	/** One forward pass: colours [B, 3, N, N] in [0, 1], similarities [B], and the loss (null without gradients). */
	private static final class Forward {
		final NDArray colors, similarities, loss;

		Forward(NDArray colors, NDArray similarities, NDArray loss) {
			this.colors = colors;
			this.similarities = similarities;
			this.loss = loss;
		}
	}
}
