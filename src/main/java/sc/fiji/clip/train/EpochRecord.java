package sc.fiji.clip.train;

import java.util.Locale;

/** One line of the training log: the figures at the end of an epoch (NaN where not measured). */
public final class EpochRecord {

	public static final String CSV_HEADER = "epoch,step,lr,train_loss,val_loss,val_accuracy,logit_scale,seconds,eval_accuracy";

	public final int epoch, step;
	public final double learningRate, trainLoss, valLoss, valAccuracy, logitScale, seconds;
	/** Null when not measured (and in records of checkpoints written before it existed). */
	private final Double evalAccuracy;

	public EpochRecord(int epoch, int step, double learningRate, double trainLoss, double valLoss, double valAccuracy,
		double logitScale, double seconds)
	{
		this(epoch, step, learningRate, trainLoss, valLoss, valAccuracy, logitScale, seconds, Double.NaN);
	}

	/** A record with the accuracy on the {@code --eval} folder (NaN: not measured). */
	public EpochRecord(int epoch, int step, double learningRate, double trainLoss, double valLoss, double valAccuracy,
		double logitScale, double seconds, double evalAccuracy)
	{
		this.epoch = epoch;
		this.step = step;
		this.learningRate = learningRate;
		this.trainLoss = trainLoss;
		this.valLoss = valLoss;
		this.valAccuracy = valAccuracy;
		this.logitScale = logitScale;
		this.seconds = seconds;
		this.evalAccuracy = Double.isNaN(evalAccuracy) ? null : evalAccuracy;
	}

	/** Zero-shot accuracy on the {@code --eval} folder, NaN when not measured at this epoch. */
	public double evalAccuracy() {
		return evalAccuracy != null ? evalAccuracy : Double.NaN;
	}

	/** The record as a CSV line matching {@link #CSV_HEADER}; unmeasured values are empty. */
	public String csv() {
		return String.format(Locale.ROOT, "%d,%d,%.6g,%.6f,%s,%s,%.4f,%.1f,%s", epoch, step, learningRate, trainLoss,
			value(valLoss), value(valAccuracy), logitScale, seconds, value(evalAccuracy()));
	}

	private static String value(double v) {
		return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
	}

	/** A one-line summary for terminals and logs. */
	public String summary() {
		StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "epoch %d: train loss %.4f", epoch, trainLoss));
		if (!Double.isNaN(valLoss)) s.append(String.format(Locale.ROOT, ", val loss %.4f", valLoss));
		if (!Double.isNaN(valAccuracy)) s.append(String.format(Locale.ROOT, ", val accuracy %.1f%%", 100 * valAccuracy));
		if (evalAccuracy != null) s.append(String.format(Locale.ROOT, ", eval accuracy %.1f%%", 100 * evalAccuracy));
		return s.append(String.format(Locale.ROOT, ", scale %.1f, %.0f s", Math.exp(logitScale), seconds)).toString();
	}
}
