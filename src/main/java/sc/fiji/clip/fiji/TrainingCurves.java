package sc.fiji.clip.fiji;

import ij.gui.Plot;
import ij.measure.ResultsTable;
import java.awt.Color;
import java.util.List;
import sc.fiji.clip.train.EpochRecord;

/** A training's log as ImageJ shows it: a {@link Plot} of the curves and a {@link ResultsTable} of the epochs. */
final class TrainingCurves {

	private TrainingCurves() {}

	/**
	 * Train and validation loss against epoch, with validation accuracy and the {@code --eval} folder's accuracy (0-1)
	 * when they were measured.
	 */
	static Plot plot(String title, List<EpochRecord> records) {
		int n = records.size();
		double[] epochs = new double[n], train = new double[n], val = new double[n], acc = new double[n];
		boolean hasVal = false, hasAcc = false, hasEval = false;
		for (int i = 0; i < n; i++) {
			EpochRecord r = records.get(i);
			epochs[i] = r.epoch;
			train[i] = r.trainLoss;
			val[i] = r.valLoss;
			acc[i] = r.valAccuracy;
			hasVal |= !Double.isNaN(r.valLoss);
			hasAcc |= !Double.isNaN(r.valAccuracy);
			hasEval |= !Double.isNaN(r.evalAccuracy());
		}
		Plot plot = new Plot(title, "epoch", "loss / accuracy");
		plot.setColor(Color.BLUE, Color.BLUE);
		plot.addPoints(epochs, train, Plot.CONNECTED_CIRCLES);
		StringBuilder legend = new StringBuilder("train loss");
		if (hasVal) {
			plot.setColor(Color.RED, Color.RED);
			plot.addPoints(epochs, val, Plot.CONNECTED_CIRCLES);
			legend.append("\tvalidation loss");
		}
		if (hasAcc) {
			plot.setColor(new Color(0, 140, 0), new Color(0, 140, 0));
			plot.addPoints(epochs, acc, Plot.CONNECTED_CIRCLES);
			legend.append("\tvalidation accuracy");
		}
		if (hasEval) {
			// measured on some epochs only: the points of those epochs
			double[] at = records.stream().filter(r -> !Double.isNaN(r.evalAccuracy())).mapToDouble(r -> r.epoch).toArray();
			double[] eval = records.stream().mapToDouble(EpochRecord::evalAccuracy).filter(v -> !Double.isNaN(v)).toArray();
			plot.setColor(new Color(160, 0, 160), new Color(160, 0, 160));
			plot.addPoints(at, eval, Plot.CONNECTED_CIRCLES);
			legend.append("\t--eval accuracy");
		}
		plot.setColor(Color.BLACK);
		plot.addLegend(legend.toString());
		plot.setLimitsToFit(false);
		// room around the data, so that the first and last points are not drawn on (and hidden by) the frame
		double[] limits = plot.getLimits();
		double pad = 0.05 * (limits[3] - limits[2]);
		plot.setLimits(limits[0] - 0.25, limits[1] + 0.25, limits[2] - pad, limits[3] + pad);
		return plot;
	}

	/** One row per epoch with the columns of {@code training-log.csv}. */
	static ResultsTable table(List<EpochRecord> records) {
		ResultsTable t = new ResultsTable();
		for (EpochRecord r : records) {
			t.incrementCounter();
			t.addValue("epoch", r.epoch);
			t.addValue("step", r.step);
			t.addValue("lr", r.learningRate);
			t.addValue("train_loss", r.trainLoss);
			t.addValue("val_loss", r.valLoss);
			t.addValue("val_accuracy", r.valAccuracy);
			t.addValue("logit_scale", r.logitScale);
			t.addValue("seconds", r.seconds);
			t.addValue("eval_accuracy", r.evalAccuracy());
		}
		return t;
	}
}
