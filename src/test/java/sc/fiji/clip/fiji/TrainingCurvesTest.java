package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.gui.Plot;
import ij.measure.ResultsTable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.train.EpochRecord;

/** The training's plot and table as Train CLIP Model… shows them. */
class TrainingCurvesTest {

	private static final List<EpochRecord> RECORDS = List.of(
		new EpochRecord(1, 10, 1e-3, 3.0, 2.5, Double.NaN, 2.66, 1.0),
		new EpochRecord(2, 20, 1e-3, 2.0, 2.2, Double.NaN, 2.70, 2.0),
		new EpochRecord(3, 30, 5e-4, 1.5, 2.0, Double.NaN, 2.75, 3.0));

	@Test
	void firstAndLastPointsLieInsideTheFrameNotOnIt() {
		HeadlessImageJ.boot();
		Plot plot = TrainingCurves.plot("curves", RECORDS);
		double[] limits = plot.getLimits();
		String range = Arrays.toString(limits);
		// a point (radius about 1.5 % of the frame) drawn right on the frame is half hidden: keep 4 % of room
		assertTrue(1 - limits[0] >= 0.04 * 2 && limits[1] - 3 >= 0.04 * 2, "epochs 1 to 3 well inside x " + range);
		assertTrue(1.5 - limits[2] >= 0.04 * 1.5 && limits[3] - 3.0 >= 0.04 * 1.5, "losses 1.5 to 3 well inside y " + range);
		assertTrue(limits[3] - limits[2] < 1.5 * 1.25, "but not much more: " + range);
	}

	@Test
	void tableHasARowPerEpochWithTheLogsColumns() {
		HeadlessImageJ.boot();
		List<EpochRecord> records = new java.util.ArrayList<>(RECORDS.subList(0, 2));
		records.add(new EpochRecord(3, 30, 5e-4, 1.5, 2.0, Double.NaN, 2.75, 3.0, 0.75));
		ResultsTable table = TrainingCurves.table(records);
		assertEquals(3, table.size());
		assertEquals(List.of(EpochRecord.CSV_HEADER.split(",")), List.of(table.getHeadings()));
		assertEquals(2.2, table.getValue("val_loss", 1));
		assertEquals(0.75, table.getValue("eval_accuracy", 2));
		assertTrue(Double.isNaN(table.getValue("eval_accuracy", 1)), "not measured at epoch 2");
	}
}
