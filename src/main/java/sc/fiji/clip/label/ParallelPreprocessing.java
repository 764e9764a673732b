package sc.fiji.clip.label;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import sc.fiji.clip.Tasks;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.RgbImage;

/**
 * Resizes and normalises planes into a batch buffer on worker threads while the caller reads the next plane, so
 * that preprocessing, which is Java work on one core otherwise, uses every core left free by the encodings. At most two
 * planes per worker wait or run at a time, so memory stays bounded by a few planes. With one thread it works in
 * the caller's thread.
 */
final class ParallelPreprocessing implements AutoCloseable {

	private final ClipImageProcessor processor;
	private final ExecutorService workers;
	private final Semaphore slots;
	private final List<Future<?>> inFlight = new ArrayList<>();

	ParallelPreprocessing(ClipImageProcessor processor, int threads) {
		this.processor = processor;
		this.workers = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "fiji-clip-preprocessing");
			t.setDaemon(true);
			return t;
		}) : null;
		this.slots = new Semaphore(2 * Math.max(1, threads));
	}

	/** Preprocesses {@code rgb} into {@code dst} from {@code offset}, now or on a worker; see {@link #await()}. */
	void submit(RgbImage rgb, FloatBuffer dst, int offset) {
		if (workers == null) {
			processor.processInto(rgb, dst, offset);
			return;
		}
		slots.acquireUninterruptibly();
		try {
			inFlight.add(workers.submit(() -> {
				try {
					processor.processInto(rgb, dst, offset);
				} finally {
					slots.release();
				}
			}));
		} catch (RuntimeException e) {
			slots.release();
			throw e;
		}
	}

	/** Waits until every submitted plane is in its buffer; rethrows what preprocessing threw. */
	void await() {
		try {
			for (Future<?> f : inFlight) Tasks.result(f, "Labelling");
		} finally {
			inFlight.clear();
		}
	}

	@Override
	public void close() {
		if (workers != null) workers.shutdownNow();
	}
}
