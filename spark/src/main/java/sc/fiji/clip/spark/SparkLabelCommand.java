package sc.fiji.clip.spark;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.label.LabelSet;

/** {@code label}: top-k labels and scores per plane (and the embedding with {@code --embeddings}). */
@Command(name = "label", sortOptions = false, mixinStandardHelpOptions = true,
	description = "Label every plane of the input images zero-shot (or with the classifier the model keeps); rows "
		+ "path, c, z, t, labels, scores[, embedding], fingerprint in OUT/planes, unreadable files in OUT/skips.")
final class SparkLabelCommand extends JobCommand {

	@Option(names = "--labels", paramLabel = "A,B,C",
		description = "The labels, comma-separated (default: the few-shot classifier the model keeps).")
	String labels;

	@Option(names = "--template", paramLabel = "T",
		description = "A caption template; {} is the label. Repeat to ensemble (default: the model's own).")
	List<String> templates = new ArrayList<>();

	@Option(names = "--top-k", paramLabel = "K", defaultValue = "1", description = "Labels per row (default: 1).")
	int topK;

	@Option(names = "--embeddings", description = "Also write each plane's embedding.")
	boolean embeddings;

	@Override
	String kind() {
		return "label";
	}

	@Override
	JobSettings.Builder settings(JobSettings.Builder b) {
		if (topK < 1) throw new ClipException("--top-k must be at least 1, not " + topK + ".");
		List<String> list = labels == null ? null : LabelSet.parseList(labels).labels();
		return b.labels(list).templates(templates).topK(topK).write(true, embeddings);
	}
}
