package sc.fiji.clip.train;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** What a training produced: where the model and checkpoint are, the per-epoch log, and how it ended. */
public final class TrainingResult {

	private final Path model, checkpoint, log;
	private final List<EpochRecord> records;
	private final boolean cancelled;
	private final int steps;
	private final double imagesPerSecond;

	TrainingResult(Path model, Path checkpoint, Path log, List<EpochRecord> records, boolean cancelled, int steps,
		double imagesPerSecond)
	{
		this.model = model;
		this.checkpoint = checkpoint;
		this.log = log;
		this.records = Collections.unmodifiableList(records);
		this.cancelled = cancelled;
		this.steps = steps;
		this.imagesPerSecond = imagesPerSecond;
	}

	/** The best model by validation (the last one without validation); null if cancelled before any epoch ended. */
	public Path model() {
		return model;
	}

	/** The last state, from which {@code --resume} continues. */
	public Path checkpoint() {
		return checkpoint;
	}

	/** The CSV training log. */
	public Path log() {
		return log;
	}

	public List<EpochRecord> records() {
		return records;
	}

	public boolean cancelled() {
		return cancelled;
	}

	/** Steps done in total (resumed runs included). */
	public int steps() {
		return steps;
	}

	/** Training throughput of this run. */
	public double imagesPerSecond() {
		return imagesPerSecond;
	}
}
