package sc.fiji.clip.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes named arrays as a safetensors file that Hugging Face {@code transformers} accepts.
 * <p>
 * DJL's {@code NDList.encode(SAFETENSORS)} reads back fine but omits the {@code __metadata__: {"format": "pt"}}
 * block without which {@code transformers} refuses the file; this writer adds it, sorts tensors by name and pads
 * the header to 8 bytes as the safetensors library does, and streams each tensor without copying the whole model.
 * Reading stays with DJL's {@code NDList.decode}.
 */
public final class SafetensorsWriter {

	private SafetensorsWriter() {}

	/** Writes {@code arrays} (each with a unique name) to {@code out}; does not close it. */
	public static void write(NDList arrays, OutputStream out) throws IOException {
		List<NDArray> sorted = new ArrayList<>(arrays);
		sorted.sort(Comparator.comparing(NDArray::getName));
		JsonObject header = new JsonObject();
		JsonObject metadata = new JsonObject();
		metadata.addProperty("format", "pt");
		header.add("__metadata__", metadata);
		long offset = 0;
		for (NDArray a : sorted) {
			long bytes = a.getShape().size() * a.getDataType().getNumOfBytes();
			JsonObject entry = new JsonObject();
			entry.addProperty("dtype", dtype(a.getDataType()));
			JsonArray shape = new JsonArray();
			for (long d : a.getShape().getShape()) shape.add(d);
			entry.add("shape", shape);
			JsonArray offsets = new JsonArray();
			offsets.add(offset);
			offsets.add(offset + bytes);
			entry.add("data_offsets", offsets);
			header.add(a.getName(), entry);
			offset += bytes;
		}
		byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
		head.putLong(padded).put(json);
		while (head.hasRemaining()) head.put((byte) ' ');
		out.write(head.array());
		WritableByteChannel channel = Channels.newChannel(out);
		for (NDArray a : sorted) {
			ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
			while (data.hasRemaining()) channel.write(data);
		}
		out.flush();
	}

	private static String dtype(DataType type) {
		switch (type) {
			case FLOAT32:
				return "F32";
			case FLOAT16:
				return "F16";
			case BFLOAT16:
				return "BF16";
			case FLOAT64:
				return "F64";
			case INT64:
				return "I64";
			case INT32:
				return "I32";
			case INT8:
				return "I8";
			case UINT8:
				return "U8";
			case BOOLEAN:
				return "BOOL";
			default:
				throw new IllegalArgumentException("safetensors has no type for " + type);
		}
	}
}
