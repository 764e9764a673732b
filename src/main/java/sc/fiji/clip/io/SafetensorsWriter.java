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
import java.util.Map;

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
		List<String> names = new ArrayList<>();
		List<DataType> types = new ArrayList<>();
		List<long[]> shapes = new ArrayList<>();
		for (NDArray a : sorted) {
			names.add(a.getName());
			types.add(a.getDataType());
			shapes.add(a.getShape().getShape());
		}
		out.write(header(names, types, shapes, Map.of("format", "pt")));
		WritableByteChannel channel = Channels.newChannel(out);
		for (NDArray a : sorted) {
			ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
			while (data.hasRemaining()) channel.write(data);
		}
		out.flush();
	}

	/**
	 * The header (length, JSON, padding) of a file holding one matrix [rows, columns] named {@code name}, whose
	 * little-endian data the caller then writes row by row: for matrices too large to hold in memory.
	 */
	public static byte[] matrixHeader(String name, DataType type, long rows, long columns, Map<String, String> metadata) {
		return header(List.of(name), List.of(type), List.of(new long[] { rows, columns }), metadata);
	}

	/**
	 * The header of a file holding the tensors {@code names} (of {@code types} and {@code shapes}), whose data follow
	 * it in that order, little-endian, written by the caller: for tensors streamed rather than held in memory.
	 */
	public static byte[] header(List<String> names, List<DataType> types, List<long[]> shapes, Map<String, String> metadata) {
		JsonObject header = new JsonObject();
		JsonObject meta = new JsonObject();
		metadata.forEach(meta::addProperty);
		header.add("__metadata__", meta);
		long offset = 0;
		for (int i = 0; i < names.size(); i++) {
			long size = 1;
			JsonArray shape = new JsonArray();
			for (long d : shapes.get(i)) {
				shape.add(d);
				size *= d;
			}
			long bytes = size * types.get(i).getNumOfBytes();
			JsonObject entry = new JsonObject();
			entry.addProperty("dtype", dtype(types.get(i)));
			entry.add("shape", shape);
			JsonArray offsets = new JsonArray();
			offsets.add(offset);
			offsets.add(offset + bytes);
			entry.add("data_offsets", offsets);
			header.add(names.get(i), entry);
			offset += bytes;
		}
		byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
		head.putLong(padded).put(json);
		while (head.hasRemaining()) head.put((byte) ' ');
		return head.array();
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
