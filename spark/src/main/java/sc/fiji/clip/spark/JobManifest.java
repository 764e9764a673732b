package sc.fiji.clip.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import sc.fiji.clip.ClipException;

/**
 * {@value JobOutput#MANIFEST}: what a job's output folder holds (the files listed, how they are partitioned, what
 * each row carries), so that a rerun continues only the same job and never mixes two in one folder.
 */
final class JobManifest {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	String kind;
	String model;
	String settings;
	String files;
	int fileCount;
	int partitionSize;
	int partitions;

	static JobManifest of(String kind, JobSettings settings, List<String> files, int partitionSize) {
		JobManifest m = new JobManifest();
		m.kind = kind;
		m.model = settings.model();
		m.settings = sha256(settings.identity());
		m.files = sha256(String.join("\n", files));
		m.fileCount = files.size();
		m.partitionSize = partitionSize;
		m.partitions = (files.size() + partitionSize - 1) / partitionSize;
		return m;
	}

	/**
	 * Writes this manifest into an output folder that has none, or checks that the one there describes the same job.
	 *
	 * @throws ClipException if the folder holds another job's output, or other files
	 */
	void claim(JobOutput output) throws IOException {
		FileSystem fs = output.fs();
		Path file = output.manifest();
		if (fs.exists(file)) {
			JobManifest there;
			try (InputStreamReader r = new InputStreamReader(fs.open(file), StandardCharsets.UTF_8)) {
				there = GSON.fromJson(r, JobManifest.class);
			}
			String differs = there == null ? "an unreadable manifest"
				: !kind.equals(there.kind) ? "a " + there.kind + " job"
				: !settings.equals(there.settings) ? "a job with another model, labels or options"
				: !files.equals(there.files) || partitionSize != there.partitionSize
					? "a job over other files (" + there.fileCount + " then, " + fileCount + " now) or partitions"
				: null;
			if (differs != null) {
				throw new ClipException(output.root() + " holds the output of " + differs + ". Give another --out, or delete "
					+ "it to start again.");
			}
			return;
		}
		if (fs.exists(output.root()) && fs.listStatus(output.root()).length > 0) {
			throw new ClipException(output.root() + " is not empty and holds no " + JobOutput.MANIFEST + ". Give a new or "
				+ "empty folder as --out.");
		}
		fs.mkdirs(output.root());
		Path tmp = new Path(output.root(), "." + JobOutput.MANIFEST + ".tmp");
		try (OutputStream out = fs.create(tmp, true)) {
			out.write(GSON.toJson(this).getBytes(StandardCharsets.UTF_8));
		}
		if (!fs.rename(tmp, file)) throw new IOException("Cannot move " + tmp + " to " + file);
	}

	private static String sha256(String s) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			return String.format("%064x", new BigInteger(1, md.digest(s.getBytes(StandardCharsets.UTF_8))));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
