package sc.fiji.clip.search;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.imagej.PlaneFiles;

/**
 * Search hits at a glance: a grid of thumbnails (each plane as displayed, scaled to fit a square), each captioned
 * with its rank, score and file name; a hit whose file cannot be read any more is a grey square saying so. Works
 * headless.
 */
public final class HitMontage {

	/** Thumbnail size in pixels unless set otherwise. */
	public static final int DEFAULT_THUMBNAIL = 128;
	private static final int COLUMNS = 5, GAP = 6;

	private HitMontage() {}

	/** The montage of {@code hits} with thumbnails of {@code size} pixels. */
	public static BufferedImage render(List<SearchHit> hits, int size) {
		if (hits.isEmpty()) throw new ClipException("No hits to show.");
		Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
		BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
		FontMetrics fm = probe.createGraphics().getFontMetrics(font);
		int columns = Math.min(COLUMNS, hits.size()), rows = (hits.size() + columns - 1) / columns;
		int cellW = size + GAP, cellH = size + 2 * fm.getHeight() + GAP;
		BufferedImage image = new BufferedImage(GAP + columns * cellW, GAP + rows * cellH, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, image.getWidth(), image.getHeight());
		g.setFont(font);
		for (int i = 0; i < hits.size(); i++) {
			SearchHit hit = hits.get(i);
			int x = GAP + (i % columns) * cellW, y = GAP + (i / columns) * cellH;
			IndexedPlane p = hit.plane();
			try {
				BufferedImage thumb = awt(PlaneFiles.read(p.file(), p.channel(), p.slice(), p.frame()));
				double scale = Math.min(size / (double) thumb.getWidth(), size / (double) thumb.getHeight());
				int w = Math.max(1, (int) Math.round(thumb.getWidth() * scale)), h = Math.max(1, (int) Math.round(thumb.getHeight() * scale));
				g.drawImage(thumb, x + (size - w) / 2, y + (size - h) / 2, w, h, null);
			} catch (ClipException e) { // an ImageReadException too: the file is gone or changed
				g.setColor(Color.LIGHT_GRAY);
				g.fillRect(x, y, size, size);
				g.setColor(Color.DARK_GRAY);
				g.drawString("cannot be read", x + 4, y + size / 2);
			}
			g.setColor(Color.BLACK);
			g.drawString(String.format(Locale.ROOT, "#%d  %.3f", hit.rank(), hit.score()), x, y + size + fm.getAscent());
			g.drawString(fit(p.file().getFileName() + plane(p), fm, size), x, y + size + fm.getHeight() + fm.getAscent());
		}
		g.dispose();
		return image;
	}

	private static String plane(IndexedPlane p) {
		boolean single = p.channel() <= 1 && p.slice() == 1 && p.frame() == 1;
		return single ? "" : " c" + p.channel() + " z" + p.slice() + " t" + p.frame();
	}

	private static String fit(String text, FontMetrics fm, int width) {
		if (fm.stringWidth(text) <= width) return text;
		String t = text;
		while (t.length() > 1 && fm.stringWidth("…" + t) > width) t = t.substring(1);
		return "…" + t;
	}

	private static BufferedImage awt(RgbImage rgb) {
		BufferedImage image = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
		image.setRGB(0, 0, rgb.width(), rgb.height(), rgb.toArgb(), 0, rgb.width());
		return image;
	}
}
