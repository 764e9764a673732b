package sc.fiji.clip.spark;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.engine.DeviceChoice;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.WeightsFingerprint;

/**
 * The model of one executor JVM, loaded by its first task and shared by every later task (and by tasks running side
 * by side: encoding and scoring are thread-safe), so a job loads it once per executor, not per task. A model on a
 * non-local file system is copied to local disk first. It stays open for the JVM's life.
 */
final class ExecutorModel {

	private static ExecutorModel current;

	final ClipModel model;
	final ImageScorer scorer;
	final String fingerprint;
	private final String key;

	private ExecutorModel(String key, ClipModel model, ImageScorer scorer) {
		this.key = key;
		this.model = model;
		this.scorer = scorer;
		this.fingerprint = WeightsFingerprint.of(model);
	}

	/** The model the settings name, loading it (and closing another one) if it is not the one loaded. */
	static synchronized ExecutorModel get(JobSettings settings, HadoopConf conf) {
		if (ClipEngine.threads() != settings.threads) ClipEngine.setThreads(settings.threads);
		String key = settings.identity() + "\u0000" + settings.device;
		if (current != null && current.key.equals(key)) return current;
		release();
		Device device = DeviceChoice.parse(settings.device).resolve();
		Path local = localCopy(settings.model, conf);
		ClipModel model = ModelFiles.load(local, device);
		ImageScorer scorer = null;
		try {
			if (settings.writeLabels) {
				LabelSet labels = settings.labels == null ? null : LabelSet.of(settings.labels);
				CaptionTemplates templates = settings.templates.isEmpty() ? null : CaptionTemplates.of(settings.templates);
				scorer = Scorers.open(model, local, labels, templates, null, null, null, line -> {});
			}
			current = new ExecutorModel(key, model, scorer);
			return current;
		} catch (RuntimeException e) {
			if (scorer != null) scorer.close();
			model.close();
			throw e;
		}
	}

	/** Closes the loaded model, so that the next task loads it again (benchmarks measure a job as a new JVM runs it). */
	static synchronized void release() {
		if (current == null) return;
		if (current.scorer != null) current.scorer.close();
		current.model.close();
		current = null;
	}

	/** The model as a local path: itself on a local file system, else a copy in the temporary folder. */
	static Path localCopy(String model, HadoopConf conf) {
		org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(model);
		Path p = LocalPaths.local(source);
		if (p != null) {
			if (!Files.exists(p)) throw new ClipException("The model " + model + " does not exist on this machine.");
			return p;
		}
		try {
			FileSystem fs = source.getFileSystem(conf.get());
			Path dir = Files.createTempDirectory("fiji-clip-model");
			Path target = dir.resolve(source.getName());
			fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
			return target;
		} catch (IOException e) {
			throw new ClipException("Cannot copy the model " + model + " to this machine: " + e.getMessage(), e);
		}
	}

	@Override
	public String toString() {
		return Objects.toString(model);
	}
}
