package sc.fiji.clip.train;

/** Linear warm-up from 0 to the peak learning rate, then cosine decay to 0 at the last step (as OpenAI's CLIP). */
public final class LearningRateSchedule {

	private final double peak;
	private final int warmup;
	private final int total;

	public LearningRateSchedule(double peak, int warmupSteps, int totalSteps) {
		this.peak = peak;
		this.warmup = Math.max(0, Math.min(warmupSteps, totalSteps));
		this.total = Math.max(1, totalSteps);
	}

	/** The learning rate of step {@code step} (0-based). */
	public float at(int step) {
		if (step < warmup) return (float) (peak * (step + 1) / warmup);
		double progress = (double) (step - warmup) / Math.max(1, total - warmup);
		return (float) (peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
	}
}
