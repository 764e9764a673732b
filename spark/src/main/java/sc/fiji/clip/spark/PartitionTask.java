package sc.fiji.clip.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.Function;
import sc.fiji.clip.label.EncodingPipeline;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelSummary;
import sc.fiji.clip.label.Skips;
import sc.fiji.clip.label.ZeroShotLabeller;

/**
 * The work of one task: labels and/or embeds the planes of one partition's files with the executor's
 * {@link ExecutorModel}, through the same batched pipeline as {@code fiji-clip label} and {@code embed}, and commits
 * the partition's skips and planes files. A partition whose planes file exists is left as it is.
 * <p>
 * A task encodes one batch at a time on {@code --threads} libtorch threads: Spark's task slots are the parallelism
 * (the command line instead runs a batch per core side by side), so an executor of N slots uses N cores, not N².
 */
final class PartitionTask implements Function<Partition, PartitionReport> {

	private static final long serialVersionUID = 1L;

	private final JobSettings settings;
	private final JobOutput output;
	private final HadoopConf conf;

	PartitionTask(JobSettings settings, JobOutput output, HadoopConf conf) {
		this.settings = settings;
		this.output = output;
		this.conf = conf;
	}

	@Override
	public PartitionReport call(Partition partition) throws IOException {
		if (output.complete(partition.index)) return PartitionReport.kept(partition.index);
		ExecutorModel executor = ExecutorModel.get(settings, conf);
		Configuration hadoop = conf.get();
		try (LocalFiles files = new LocalFiles(partition.files, hadoop)) {
			org.apache.hadoop.fs.Path planesTmp = output.temporary(partition.index);
			org.apache.hadoop.fs.Path skipsTmp = output.temporary(partition.index);
			LabelSummary summary = null;
			try (PlaneTable planes = PlaneTable.planes(planesTmp, hadoop, settings.writeLabels, settings.writeEmbeddings,
				executor.fingerprint))
			{
				if (!files.inputs().isEmpty()) summary = encode(partition.index, executor, files.inputs(), planes);
			}
			List<Skips.Entry> unreadable = summary == null ? List.of() : summary.skipEntries();
			try (PlaneTable skips = PlaneTable.skips(skipsTmp, hadoop)) {
				for (String[] s : files.missing()) skips.skip(s[0], s[1]);
				for (Skips.Entry e : unreadable) skips.skip(e.file(), e.reason());
			}
			output.commit(skipsTmp, output.skips(partition.index));
			output.commit(planesTmp, output.planes(partition.index));
			return new PartitionReport(partition.index, false, summary == null ? 0 : summary.planes(),
				summary == null ? 0 : summary.images(), unreadable.size() + files.missing().size(),
				summary == null ? 0 : summary.seconds(), ManagementFactory.getRuntimeMXBean().getName());
		}
	}

	private LabelSummary encode(int partition, ExecutorModel executor, List<LabelInput> inputs, PlaneTable planes) {
		try {
			if (settings.writeLabels) {
				return ZeroShotLabeller.builder(executor.scorer).topK(settings.topK).embeddings(settings.writeEmbeddings)
					.mergeChannels(settings.mergeChannels).batchSize(settings.batchSize).parallelBatches(1)
					.reportLines(Integer.MAX_VALUE).failWhenNothingRead(false).build().label(inputs, row -> {
						try {
							planes.add(row.image(), row);
						} catch (IOException e) {
							throw new UncheckedIOException(e);
						}
					});
			}
			int d = executor.model.config().projection_dim;
			return EncodingPipeline.builder(executor.model).mergeChannels(settings.mergeChannels)
				.batchSize(settings.batchSize).parallelBatches(1).reportLines(Integer.MAX_VALUE).failWhenNothingRead(false).build()
				.run(inputs, e -> e.toFloatArray(), (plane, batch, row) -> {
					try {
						planes.add(plane.name(), plane.channel(), plane.slice(), plane.frame(), batch, row * d, d);
					} catch (IOException e) {
						throw new UncheckedIOException(e);
					}
				});
		} catch (UncheckedIOException e) {
			throw new UncheckedIOException("Cannot write the planes of partition " + partition + ": " + e.getCause().getMessage(),
				e.getCause());
		}
	}

	/**
	 * A partition's files as local paths: files on the local file system as they are, others copied to a temporary
	 * folder (removed on close). Rows are named by the original URI. Files gone since the listing are reported.
	 */
	static final class LocalFiles implements AutoCloseable {
		private final List<LabelInput> inputs = new ArrayList<>();
		private final List<String[]> missing = new ArrayList<>();
		private Path copies;

		LocalFiles(List<String> files, Configuration conf) throws IOException {
			for (String uri : files) {
				org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
				Path local = LocalPaths.local(source);
				if (local != null) {
					if (!Files.isRegularFile(local)) {
						missing.add(new String[] { uri, "it no longer exists" });
						continue;
					}
				} else {
					FileSystem fs = source.getFileSystem(conf);
					if (!fs.exists(source)) {
						missing.add(new String[] { uri, "it no longer exists" });
						continue;
					}
					if (copies == null) copies = Files.createTempDirectory("fiji-clip-partition");
					local = copies.resolve(inputs.size() + "-" + source.getName());
					fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(local.toUri()), true);
				}
				inputs.add(LabelInput.of(local, uri));
			}
		}

		List<LabelInput> inputs() {
			return inputs;
		}

		List<String[]> missing() {
			return missing;
		}

		@Override
		public void close() throws IOException {
			if (copies == null) return;
			try (var walk = Files.walk(copies)) {
				for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
			}
		}
	}
}
