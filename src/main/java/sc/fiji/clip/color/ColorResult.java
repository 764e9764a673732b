package sc.fiji.clip.color;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a colour optimisation found for one prompt: every recorded step, and the colours of the step with the
 * highest (mean) similarity, ranked by similarity (index 0 = best). Frames and steps use the same ranked indices.
 */
public final class ColorResult {

	/** Why the run ended. */
	public enum StopReason {
		/** All requested steps were taken. */
		COMPLETED,
		/** The similarity stopped improving for {@link ColorOptions#patience()} steps. */
		CONVERGED,
		/** The progress listener cancelled the run. */
		CANCELLED
	}

	private final String prompt;
	private final List<ColorFrame> frames;
	private final int best;
	private final StopReason stopReason;

	/**
	 * A result from frames in optimisation order (at least one); the best frame is the one with the highest mean
	 * similarity (the earliest on ties), and all frames are reordered by its similarities.
	 */
	public ColorResult(String prompt, List<ColorFrame> frames, StopReason stopReason) {
		if (frames.isEmpty()) throw new IllegalArgumentException("no frames");
		int b = 0;
		for (int i = 1; i < frames.size(); i++) {
			if (frames.get(i).meanSimilarity() > frames.get(b).meanSimilarity()) b = i;
		}
		ColorFrame chosen = frames.get(b);
		int[] order = IntStream.range(0, chosen.count()).boxed()
			.sorted((i, j) -> Double.compare(chosen.similarity(j), chosen.similarity(i))).mapToInt(Integer::intValue)
			.toArray();
		List<ColorFrame> ranked = new ArrayList<>(frames.size());
		for (ColorFrame f : frames) ranked.add(f.reorder(order));
		this.prompt = prompt;
		this.frames = Collections.unmodifiableList(ranked);
		this.best = b;
		this.stopReason = stopReason;
	}

	public String prompt() {
		return prompt;
	}

	/** Every recorded step's state, in order; the first is the start (step 0). */
	public List<ColorFrame> frames() {
		return frames;
	}

	/** The chosen state: the recorded step with the highest mean similarity. */
	public ColorFrame bestFrame() {
		return frames.get(best);
	}

	/** The last recorded state. */
	public ColorFrame lastFrame() {
		return frames.get(frames.size() - 1);
	}

	/** Number of updates taken (the last recorded step). */
	public int stepsTaken() {
		return lastFrame().step();
	}

	public StopReason stopReason() {
		return stopReason;
	}

	/** The best colour (a palette's first; an image's mean colour). */
	public Rgb color() {
		return bestFrame().color(0);
	}

	/** Similarity of {@link #color()} to the prompt. */
	public double similarity() {
		return bestFrame().similarity(0);
	}

	/** The colours ranked by similarity, best first. */
	public List<Rgb> colors() {
		List<Rgb> list = new ArrayList<>();
		for (int i = 0; i < bestFrame().count(); i++) list.add(bestFrame().color(i));
		return list;
	}

	/** Similarities of {@link #colors()}, in the same order (descending). */
	public double[] similarities() {
		return IntStream.range(0, bestFrame().count()).mapToDouble(bestFrame()::similarity).toArray();
	}

	/** Every recorded step of every colour as a flat list, by step then index. */
	public List<ColorStep> steps() {
		List<ColorStep> list = new ArrayList<>();
		for (ColorFrame f : frames) {
			for (int i = 0; i < f.count(); i++) list.add(new ColorStep(f.step(), i, f.color(i), f.similarity(i)));
		}
		return list;
	}

	@Override
	public String toString() {
		return "'" + prompt + "': " + color() + String.format(java.util.Locale.ROOT, " similarity %.4f", similarity())
			+ " after " + stepsTaken() + " steps (" + stopReason.name().toLowerCase(java.util.Locale.ROOT) + ")";
	}
}
