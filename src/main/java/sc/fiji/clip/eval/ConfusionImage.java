package sc.fiji.clip.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Draws a {@link ConfusionMatrix} for a person to read at a glance: one cell per (true, predicted) pair, shaded from
 * white to dark blue by the fraction of the true class's images, the count written in each cell, true classes down
 * the left, predictions along the top. Works headless (no screen needed).
 */
public final class ConfusionImage {

	private static final int CELL = 44, MARGIN = 12;

	private ConfusionImage() {}

	public static BufferedImage render(ConfusionMatrix m) {
		int n = m.classes().size();
		Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
		BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
		Graphics2D pg = probe.createGraphics();
		FontMetrics fm = pg.getFontMetrics(font);
		int label = 0;
		for (String c : m.classes()) label = Math.max(label, fm.stringWidth(c));
		pg.dispose();
		label = Math.min(label, 240) + MARGIN;
		int titleH = fm.getHeight() + MARGIN;
		int left = label + fm.getHeight() + MARGIN, top = label + titleH;
		int width = left + n * CELL + MARGIN, height = top + n * CELL + MARGIN;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setFont(font);
		g.setColor(Color.BLACK);
		g.drawString("predicted", left + (n * CELL - fm.stringWidth("predicted")) / 2, fm.getAscent());
		AffineTransform plain = g.getTransform();
		g.rotate(-Math.PI / 2);
		g.drawString("true class", -(top + (n * CELL + fm.stringWidth("true class")) / 2), fm.getAscent());
		g.setTransform(plain);
		for (int i = 0; i < n; i++) {
			String name = m.classes().get(i);
			int y = top + i * CELL + (CELL + fm.getAscent()) / 2 - 2;
			g.setColor(Color.BLACK);
			g.drawString(name, left - MARGIN / 2 - fm.stringWidth(name), y);
			g.rotate(-Math.PI / 2);
			g.drawString(name, -(top - MARGIN / 2), left + i * CELL + (CELL + fm.getAscent()) / 2 - 2);
			g.setTransform(plain);
			long support = m.support(i);
			for (int j = 0; j < n; j++) {
				long count = m.count(i, j);
				double f = support == 0 ? 0 : count / (double) support;
				Color shade = shade(f);
				g.setColor(shade);
				g.fillRect(left + j * CELL, top + i * CELL, CELL, CELL);
				g.setColor(f > 0.5 ? Color.WHITE : Color.BLACK);
				String text = Long.toString(count);
				g.drawString(text, left + j * CELL + (CELL - fm.stringWidth(text)) / 2, y);
			}
		}
		g.setColor(Color.GRAY);
		g.drawRect(left, top, n * CELL, n * CELL);
		g.dispose();
		return image;
	}

	/** White for 0 to dark blue for 1. */
	static Color shade(double f) {
		double t = Math.max(0, Math.min(1, f));
		return new Color((int) Math.round(255 - t * (255 - 8)), (int) Math.round(255 - t * (255 - 48)),
			(int) Math.round(255 - t * (255 - 107)));
	}
}
