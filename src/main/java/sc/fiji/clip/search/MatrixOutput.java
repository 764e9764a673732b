package sc.fiji.clip.search;

import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import sc.fiji.clip.io.SafetensorsWriter;

/**
 * Writes a float32 (or float16) matrix [rows, columns] as a safetensors file row by row, the row count given up front, so a
 * matrix larger than the heap streams straight to disk. Reads back with {@link EmbeddingMatrix}, DJL's
 * {@code NDList.decode} and Python's {@code safetensors.numpy.load_file}.
 */
public final class MatrixOutput {

	private final OutputStream out;
	private final long rows;
	private final int columns;
	private final boolean half;
	private final ByteBuffer buffer;
	private long written;

	/**
	 * Starts the file on {@code out} (which the caller closes) with the header; {@code half}: store float16 (rounded
	 * to nearest even) rather than float32.
	 */
	public MatrixOutput(OutputStream out, String name, long rows, int columns, boolean half, Map<String, String> metadata)
		throws IOException
	{
		this.out = out;
		this.rows = rows;
		this.columns = columns;
		this.half = half;
		this.buffer = ByteBuffer.allocate(columns * (half ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
		out.write(SafetensorsWriter.matrixHeader(name, half ? DataType.FLOAT16 : DataType.FLOAT32, rows, columns, metadata));
	}

	/** Writes the next row, {@code values[offset .. offset + columns)}. */
	public void row(float[] values, int offset) throws IOException {
		if (written == rows) throw new IllegalStateException("all " + rows + " rows are written");
		buffer.clear();
		if (half) {
			for (int i = 0; i < columns; i++) buffer.putShort(Half.fromFloat(values[offset + i]));
		} else {
			buffer.asFloatBuffer().put(values, offset, columns);
		}
		out.write(buffer.array());
		written++;
	}

	/** Checks that every row was written. */
	public void finish() throws IOException {
		if (written != rows) throw new IllegalStateException(written + " of " + rows + " rows written");
		out.flush();
	}
}
