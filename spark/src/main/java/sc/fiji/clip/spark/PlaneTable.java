package sc.fiji.clip.spark;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import sc.fiji.clip.label.LabelResult;

/**
 * A partition's rows as Parquet, written by the task itself (parquet-hadoop's example writer) so that each partition
 * commits on its own: {@code path, c, z, t}, then {@code labels array<string>, scores array<float>} (top-k, best
 * first) and/or {@code embedding array<float>} (L2-normalised), and the model's {@code fingerprint}. Spark reads the
 * folder with {@code spark.read.parquet}. The skip table is {@code path, reason}.
 */
final class PlaneTable implements AutoCloseable {

	private final ParquetWriter<Group> writer;
	private final SimpleGroupFactory rows;
	private final boolean labels, embeddings;
	private final String fingerprint;

	private PlaneTable(ParquetWriter<Group> writer, MessageType schema, boolean labels, boolean embeddings,
		String fingerprint)
	{
		this.writer = writer;
		this.rows = new SimpleGroupFactory(schema);
		this.labels = labels;
		this.embeddings = embeddings;
		this.fingerprint = fingerprint;
	}

	/** The planes schema for what the settings write. */
	static MessageType planeSchema(boolean labels, boolean embeddings) {
		Types.MessageTypeBuilder b = Types.buildMessage();
		b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("path");
		b.required(PrimitiveTypeName.INT32).named("c");
		b.required(PrimitiveTypeName.INT32).named("z");
		b.required(PrimitiveTypeName.INT32).named("t");
		if (labels) {
			b.optionalList().requiredElement(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("labels");
			b.optionalList().requiredElement(PrimitiveTypeName.FLOAT).named("scores");
		}
		if (embeddings) b.optionalList().requiredElement(PrimitiveTypeName.FLOAT).named("embedding");
		b.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("fingerprint");
		return b.named("plane");
	}

	static MessageType skipSchema() {
		return Types.buildMessage()
			.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("path")
			.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("reason")
			.named("skip");
	}

	static PlaneTable planes(Path file, Configuration conf, boolean labels, boolean embeddings, String fingerprint)
		throws IOException
	{
		MessageType schema = planeSchema(labels, embeddings);
		return new PlaneTable(open(file, conf, schema), schema, labels, embeddings, fingerprint);
	}

	static PlaneTable skips(Path file, Configuration conf) throws IOException {
		MessageType schema = skipSchema();
		return new PlaneTable(open(file, conf, schema), schema, false, false, null);
	}

	private static ParquetWriter<Group> open(Path file, Configuration conf, MessageType schema) throws IOException {
		return ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf)).withConf(conf).withType(schema)
			.withCompressionCodec(CompressionCodecName.SNAPPY).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
	}

	/** A plane's row: its file's URI, its position, and what the labeller gave. */
	void add(String path, LabelResult row) throws IOException {
		add(path, row.channel(), row.slice(), row.frame(), row, row.embedding());
	}

	/** An embedding-only row. */
	void add(String path, int c, int z, int t, float[] embedding, int offset, int length) throws IOException {
		float[] e = new float[length];
		System.arraycopy(embedding, offset, e, 0, length);
		add(path, c, z, t, null, e);
	}

	private void add(String path, int c, int z, int t, LabelResult row, float[] embedding) throws IOException {
		Group g = rows.newGroup().append("path", path).append("c", c).append("z", z).append("t", t);
		if (labels) {
			Group names = g.addGroup("labels"), scores = g.addGroup("scores");
			for (int r = 0; r < row.topK(); r++) {
				names.addGroup("list").append("element", row.label(r));
				scores.addGroup("list").append("element", row.score(r));
			}
		}
		if (embeddings) {
			Group e = g.addGroup("embedding");
			for (float v : embedding) e.addGroup("list").append("element", v);
		}
		writer.write(g.append("fingerprint", fingerprint));
	}

	/** A skipped file's row. */
	void skip(String path, String reason) throws IOException {
		writer.write(rows.newGroup().append("path", path).append("reason", reason));
	}

	@Override
	public void close() throws IOException {
		writer.close();
	}
}
