package sc.fiji.clip.search;

/**
 * IEEE 754 half precision, which Java 11 lacks ({@code Float.float16ToFloat} came in Java 20): a table from the 65 536
 * bit patterns to float32 for reading, and round-to-nearest-even for writing.
 */
final class Half {

	/** float32 value of every float16 bit pattern. */
	static final float[] TO_FLOAT = new float[1 << 16];

	static {
		for (int h = 0; h < TO_FLOAT.length; h++) TO_FLOAT[h] = toFloat((short) h);
	}

	private Half() {}

	static float toFloat(short half) {
		int h = half & 0xffff;
		int sign = (h & 0x8000) << 16, exponent = (h >>> 10) & 0x1f, mantissa = h & 0x3ff;
		if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
		if (exponent != 0) return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
		float subnormal = mantissa * 0x1p-24f;
		return sign != 0 ? -subnormal : subnormal;
	}

	static short fromFloat(float f) {
		int bits = Float.floatToIntBits(f);
		int sign = (bits >>> 16) & 0x8000;
		int exponent = (bits >>> 23) & 0xff, mantissa = bits & 0x7fffff;
		if (exponent == 0xff) return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
		int e = exponent - 112;
		if (e >= 0x1f) return (short) (sign | 0x7c00);
		if (e <= 0) {
			if (e < -10) return (short) sign;
			int m = mantissa | 0x800000;
			int shift = 14 - e;
			int half = m >>> shift, rest = m & ((1 << shift) - 1), midpoint = 1 << (shift - 1);
			if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) half++;
			return (short) (sign | half);
		}
		int half = (e << 10) | (mantissa >>> 13);
		int rest = mantissa & 0x1fff;
		if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++;
		return (short) (sign | half);
	}
}
