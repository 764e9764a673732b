package sc.fiji.clip.spark;

import picocli.CommandLine.Command;

/** {@code embed}: the L2-normalised embedding of every plane. */
@Command(name = "embed", sortOptions = false, mixinStandardHelpOptions = true,
	description = "Write the embedding of every plane of the input images: rows path, c, z, t, embedding, "
		+ "fingerprint in OUT/planes, unreadable files in OUT/skips.")
final class SparkEmbedCommand extends JobCommand {

	@Override
	String kind() {
		return "embed";
	}

	@Override
	JobSettings.Builder settings(JobSettings.Builder b) {
		return b.write(false, true);
	}
}
