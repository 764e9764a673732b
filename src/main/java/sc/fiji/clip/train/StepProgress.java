package sc.fiji.clip.train;

/** The state of a training after one step, for progress lines and bars. */
public final class StepProgress {

	public final int epoch, epochs, step, totalSteps;
	public final float loss, learningRate;
	public final double imagesPerSecond, etaSeconds;

	StepProgress(int epoch, int epochs, int step, int totalSteps, float loss, float learningRate, double imagesPerSecond,
		double etaSeconds)
	{
		this.epoch = epoch;
		this.epochs = epochs;
		this.step = step;
		this.totalSteps = totalSteps;
		this.loss = loss;
		this.learningRate = learningRate;
		this.imagesPerSecond = imagesPerSecond;
		this.etaSeconds = etaSeconds;
	}

	/** One terminal line: "epoch 2/10  step 40/200  loss 1.234  lr 4.0e-04  310 img/s  ETA 1:02". */
	public String line() {
		long eta = Math.round(etaSeconds);
		return String.format("epoch %d/%d  step %d/%d  loss %.4f  lr %.1e  %.0f img/s  ETA %d:%02d", epoch, epochs, step,
			totalSteps, loss, learningRate, imagesPerSecond, eta / 60, eta % 60);
	}
}
