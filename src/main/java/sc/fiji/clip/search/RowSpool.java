package sc.fiji.clip.search;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import sc.fiji.clip.ClipException;

/**
 * Float32 rows appended to a file as they come and read back as an {@link EmbeddingMatrix}: how indexing and
 * embedding export hold embeddings on disk rather than on the heap until they write their files. Closing deletes
 * the file.
 */
final class RowSpool implements AutoCloseable {

	private final Path file;
	private final OutputStream out;
	private ByteBuffer row;
	private long rows;

	RowSpool(Path file) {
		this.file = file;
		try {
			this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
		} catch (IOException e) {
			throw new ClipException("Cannot write " + file + ": " + e.getMessage(), e);
		}
	}

	/** Appends {@code values[offset .. offset + length)}; every row has the length of the first. */
	void add(float[] values, int offset, int length) {
		if (row == null) row = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		if (length != columns()) throw new IllegalArgumentException("a row of " + length + " values after rows of " + columns());
		row.clear();
		row.asFloatBuffer().put(values, offset, length);
		try {
			out.write(row.array());
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		rows++;
	}

	/** Rows added. */
	long rows() {
		return rows;
	}

	/** Values per row (0 before the first). */
	int columns() {
		return row == null ? 0 : row.capacity() / Float.BYTES;
	}

	/** The rows so far, mapped (the caller closes it). */
	EmbeddingMatrix read() throws IOException {
		out.flush();
		return EmbeddingMatrix.raw(file, rows, Math.max(1, columns()));
	}

	@Override
	public void close() {
		try {
			out.close();
			Files.deleteIfExists(file);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}
}
