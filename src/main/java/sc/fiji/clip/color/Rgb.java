package sc.fiji.clip.color;

import java.util.Locale;
import sc.fiji.clip.ClipException;

/** An RGB colour with channels in [0, 1]; shown as 0–255 integers and {@code #RRGGBB}. */
public final class Rgb {

	/** Mid-grey, the default start colour (logit 0 in every channel). */
	public static final Rgb GREY = new Rgb(0.5, 0.5, 0.5);

	private final double r, g, b;

	/** A colour from channels in [0, 1]; values outside are a programming error. */
	public Rgb(double r, double g, double b) {
		this.r = check(r, "red");
		this.g = check(g, "green");
		this.b = check(b, "blue");
	}

	private static double check(double v, String name) {
		if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must lie in [0, 1], got " + v);
		return v;
	}

	/** Parses {@code #RRGGBB} (the {@code #} optional). */
	public static Rgb parse(String hex) {
		String h = hex.trim();
		if (h.startsWith("#")) h = h.substring(1);
		if (!h.matches("[0-9a-fA-F]{6}")) {
			throw new ClipException("'" + hex + "' is not a colour: write it as #RRGGBB, e.g. #808080 for mid-grey.");
		}
		int v = Integer.parseInt(h, 16);
		return of255((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
	}

	/** A colour from 0–255 channels. */
	public static Rgb of255(int r, int g, int b) {
		return new Rgb(r / 255.0, g / 255.0, b / 255.0);
	}

	public double r() {
		return r;
	}

	public double g() {
		return g;
	}

	public double b() {
		return b;
	}

	/** Channel {@code c} (0 red, 1 green, 2 blue) in [0, 1]. */
	public double channel(int c) {
		return c == 0 ? r : c == 1 ? g : b;
	}

	/** Red as 0–255 (rounded). */
	public int red() {
		return to255(r);
	}

	/** Green as 0–255 (rounded). */
	public int green() {
		return to255(g);
	}

	/** Blue as 0–255 (rounded). */
	public int blue() {
		return to255(b);
	}

	/** The packed {@code 0xRRGGBB} value. */
	public int packed() {
		return red() << 16 | green() << 8 | blue();
	}

	/** {@code #RRGGBB} in upper case. */
	public String hex() {
		return String.format(Locale.ROOT, "#%06X", packed());
	}

	/** Euclidean distance in [0, 1]³ RGB. */
	public double distance(Rgb o) {
		double dr = r - o.r, dg = g - o.g, db = b - o.b;
		return Math.sqrt(dr * dr + dg * dg + db * db);
	}

	private static int to255(double v) {
		return (int) Math.round(v * 255);
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Rgb && ((Rgb) o).r == r && ((Rgb) o).g == g && ((Rgb) o).b == b;
	}

	@Override
	public int hashCode() {
		return Double.hashCode(r) * 31 * 31 + Double.hashCode(g) * 31 + Double.hashCode(b);
	}

	@Override
	public String toString() {
		return hex() + " (" + red() + ", " + green() + ", " + blue() + ")";
	}
}
