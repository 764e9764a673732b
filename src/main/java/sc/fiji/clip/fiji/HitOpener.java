package sc.fiji.clip.fiji;

import ij.ImagePlus;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.text.TextPanel;
import ij.text.TextWindow;
import java.awt.Frame;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.nio.file.Path;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.imagej.ImageReader;

/**
 * Double-clicking a row of a search table opens its image at the hit's plane: the table's {@code image}, {@code c},
 * {@code z} and {@code t} columns.
 */
final class HitOpener {

	private HitOpener() {}

	/** Row {@code row}'s image, opened and set to its plane (not shown). */
	static ImagePlus open(ResultsTable table, int row) {
		String path = table.getStringValue("image", row);
		if (path == null || path.isEmpty()) throw new ClipException("Row " + (row + 1) + " names no image.");
		ImagePlus imp = ImageReader.open(Path.of(path));
		int c = (int) table.getValue("c", row), z = (int) table.getValue("z", row), t = (int) table.getValue("t", row);
		imp.setPosition(Math.max(1, c), Math.max(1, z), Math.max(1, t));
		return imp;
	}

	/** Makes a double-click on a row of the table window {@code title} open that row's image. */
	static void install(String title) {
		Frame frame = WindowManager.getFrame(title);
		if (!(frame instanceof TextWindow)) return;
		TextPanel panel = ((TextWindow) frame).getTextPanel();
		for (java.awt.event.MouseListener l : panel.getMouseListeners()) if (l instanceof DoubleClick) return;
		panel.addMouseListener(new DoubleClick(panel));
	}

	private static final class DoubleClick extends MouseAdapter {
		private final TextPanel panel;

		DoubleClick(TextPanel panel) {
			this.panel = panel;
		}

		@Override
		public void mouseClicked(MouseEvent e) {
			if (e.getClickCount() != 2) return;
			int row = panel.getSelectionStart();
			ResultsTable table = panel.getResultsTable();
			if (row < 0 || table == null || row >= table.size()) return;
			try {
				open(table, row).show();
			} catch (ClipException x) {
				ij.IJ.error("CLIP", x.getMessage());
			}
		}
	}
}
