package sc.fiji.clip.train;

/**
 * Which epoch's model a training keeps: the best by validation accuracy when the captions name classes, else by
 * validation loss. A later model also replaces the kept one while its accuracy is within one standard error of the
 * best so far ({@code sqrt(p (1 - p) / n)} for {@code n} validation images): on a small validation set an earlier
 * epoch's lead is mostly noise, and with the learning rate decaying to 0 the later model has trained longer. Losses
 * are compared strictly.
 */
final class ModelSelection {

	private ModelSelection() {}

	/** The figure compared: validation accuracy, else minus the validation loss; NaN when neither was measured. */
	static double metric(EpochRecord record) {
		if (!Double.isNaN(record.valAccuracy)) return record.valAccuracy;
		return !Double.isNaN(record.valLoss) ? -record.valLoss : Double.NaN;
	}

	/** Whether the model of {@code record} replaces the kept one, the best so far being {@code best}. */
	static boolean keeps(EpochRecord record, double best, int valImages) {
		double metric = metric(record);
		if (Double.isNaN(metric)) return false;
		if (Double.isNaN(record.valAccuracy) || Double.isInfinite(best) || valImages < 1) return metric > best;
		double p = Math.min(1, Math.max(0, best));
		return metric >= best - Math.sqrt(p * (1 - p) / valImages);
	}
}
