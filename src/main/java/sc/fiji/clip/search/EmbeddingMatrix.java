package sc.fiji.clip.search;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import sc.fiji.clip.ClipException;

/**
 * A float32 or float16 matrix [rows, columns] in a safetensors file, memory-mapped in blocks of rows, so that
 * scanning a million embeddings reads them from the page cache without holding them on the Java heap. Float16 halves
 * the bytes a scan reads, which is what bounds its speed; values are widened to float32 as they are read.
 * <p>
 * Why not DJL's {@code NDList.decode}: it reads the whole file into native memory; a search over a large index
 * needs only a window at a time.
 */
public final class EmbeddingMatrix implements AutoCloseable {

	/** Rows per mapped block: blocks stay well under the 2 GiB a single mapping can hold. */
	static final int BLOCK_BYTES = 1 << 26;

	private final Path file;
	private final FileChannel channel;
	private final long rows, dataStart;
	private final int columns, rowsPerBlock, bytesPerValue;
	private final ByteBuffer[] blocks;

	private EmbeddingMatrix(Path file, FileChannel channel, long rows, int columns, int bytesPerValue, long dataStart) {
		this.file = file;
		this.channel = channel;
		this.rows = rows;
		this.columns = columns;
		this.bytesPerValue = bytesPerValue;
		this.dataStart = dataStart;
		this.rowsPerBlock = Math.max(1, BLOCK_BYTES / (columns * bytesPerValue));
		this.blocks = new ByteBuffer[(int) ((rows + rowsPerBlock - 1) / rowsPerBlock)];
	}

	/**
	 * Opens the matrix named {@code name} in {@code file}.
	 *
	 * @throws ClipException if the file is not a safetensors file with a float32 matrix of that name
	 */
	public static EmbeddingMatrix open(Path file, String name) {
		FileChannel channel = null;
		try {
			channel = FileChannel.open(file, StandardOpenOption.READ);
			ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			readFully(channel, length, 0);
			long headerLength = length.getLong(0);
			if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > channel.size()) {
				throw broken(file, "its header length is " + headerLength);
			}
			ByteBuffer json = ByteBuffer.allocate((int) headerLength);
			readFully(channel, json, 8);
			JsonObject header = JsonParser.parseString(new String(json.array(), StandardCharsets.UTF_8)).getAsJsonObject();
			if (!header.has(name)) throw broken(file, "it has no tensor \"" + name + "\"");
			JsonObject entry = header.getAsJsonObject(name);
			JsonArray shape = entry.getAsJsonArray("shape");
			String dtype = entry.get("dtype").getAsString();
			if (!("F32".equals(dtype) || "F16".equals(dtype)) || shape.size() != 2) {
				throw broken(file, "\"" + name + "\" is " + dtype + " " + shape + ", not a float32 or float16 matrix");
			}
			int bytesPerValue = "F32".equals(dtype) ? 4 : 2;
			long rows = shape.get(0).getAsLong();
			int columns = shape.get(1).getAsInt();
			long begin = entry.getAsJsonArray("data_offsets").get(0).getAsLong();
			long end = entry.getAsJsonArray("data_offsets").get(1).getAsLong();
			long dataStart = 8 + headerLength + begin;
			long bytes = rows * columns * bytesPerValue;
			if (end - begin != bytes || dataStart + bytes > channel.size()) {
				throw broken(file, "it is shorter than its header says (was it cut off?)");
			}
			return new EmbeddingMatrix(file, channel, rows, columns, bytesPerValue, dataStart);
		} catch (IOException | RuntimeException e) {
			try {
				if (channel != null) channel.close();
			} catch (IOException suppressed) {
				e.addSuppressed(suppressed);
			}
			if (e instanceof ClipException) throw (ClipException) e;
			throw broken(file, e.getMessage());
		}
	}

	/** Rows of float32 values with no header, as {@link Indexer} spools new rows before merging them. */
	static EmbeddingMatrix raw(Path file, long rows, int columns) throws IOException {
		return new EmbeddingMatrix(file, FileChannel.open(file, StandardOpenOption.READ), rows, columns, 4, 0);
	}

	private static ClipException broken(Path file, String why) {
		return new ClipException("Cannot read the embeddings in " + file + ": " + why + ". Index the images again into a "
			+ "new folder.");
	}

	private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
		while (into.hasRemaining()) {
			int n = channel.read(into, position + into.position());
			if (n < 0) throw new IOException("unexpected end of file");
		}
	}

	/** Number of rows. */
	public long rows() {
		return rows;
	}

	/** Number of columns (the embedding dimension). */
	public int columns() {
		return columns;
	}

	/** Rows per block of {@link #block}. */
	public int rowsPerBlock() {
		return rowsPerBlock;
	}

	/** Number of blocks. */
	public int blockCount() {
		return blocks.length;
	}

	/** Whether values are stored as float16. */
	public boolean half() {
		return bytesPerValue == 2;
	}

	/** Number of rows in block {@code b}. */
	public int blockRows(int b) {
		return (int) Math.min(rowsPerBlock, rows - (long) b * rowsPerBlock);
	}

	/**
	 * Copies {@code count} rows of block {@code b}, from its row {@code first} on, into {@code into} as float32;
	 * safe to call from several threads.
	 */
	public void read(int b, int first, int count, float[] into, short[] scratch) {
		ByteBuffer block = mapped(b);
		int from = first * columns, n = count * columns;
		if (bytesPerValue == 4) {
			block.asFloatBuffer().position(from).get(into, 0, n);
			return;
		}
		ShortBuffer halves = block.asShortBuffer();
		halves.position(from).get(scratch, 0, n);
		for (int i = 0; i < n; i++) into[i] = Half.TO_FLOAT[scratch[i] & 0xffff];
	}

	/** Copies row {@code row} into {@code into} (of length {@link #columns()}). */
	public void row(long row, float[] into) {
		if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
		read((int) (row / rowsPerBlock), (int) (row % rowsPerBlock), 1, into, new short[columns]);
	}

	/** Block {@code b} as a little-endian view of its own, mapped when first asked for. */
	private ByteBuffer mapped(int b) {
		ByteBuffer mapped;
		synchronized (blocks) {
			mapped = blocks[b];
			if (mapped == null) {
				long first = (long) b * rowsPerBlock;
				try {
					mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + first * columns * bytesPerValue,
						(long) blockRows(b) * columns * bytesPerValue);
				} catch (IOException e) {
					throw new ClipException("Cannot read the embeddings in " + file + ": " + e.getMessage(), e);
				}
				blocks[b] = mapped;
			}
		}
		return mapped.duplicate().order(ByteOrder.LITTLE_ENDIAN);
	}

	@Override
	public void close() {
		try {
			channel.close();
		} catch (IOException e) {
			throw new ClipException("Cannot close " + file + ": " + e.getMessage(), e);
		}
	}
}
