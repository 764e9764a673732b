package sc.fiji.clip.engine;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.Tasks;

/**
 * Threads that each run whole batches through libtorch, for encoding several batches side by side.
 * <p>
 * With more than one thread, each runs its libtorch ops on a single core: for models of the presets' size, one op
 * is too small to split well across cores, so batches side by side use them better (measured on 2 cores, the
 * {@code small} preset, batch 64: two batches on one core each about 4300 images/s, one batch on two cores about
 * 2800). libtorch keeps its thread count per thread, so other threads keep theirs. With one thread the engine's
 * count is kept and the pool only moves the work off the caller's thread. Autograd is off on these threads.
 */
public final class BatchThreads implements AutoCloseable {

	/** Most threads {@link #defaultCount} gives: each holds a batch's pixels and activations in memory. */
	public static final int MAX_DEFAULT = 8;

	private static final AtomicInteger POOLS = new AtomicInteger();

	private final ThreadPoolExecutor executor;

	private BatchThreads(ThreadPoolExecutor executor) {
		this.executor = executor;
	}

	/** Starts {@code count} threads named {@code name-N}; returns once each has set up libtorch for itself. */
	public static BatchThreads start(int count, String name) {
		if (count < 1) throw new IllegalArgumentException("count must be at least 1, was " + count);
		int pool = POOLS.incrementAndGet();
		AtomicInteger number = new AtomicInteger();
		CountDownLatch ready = new CountDownLatch(count);
		synchronized (ClipEngine.class) {
			int engineThreads = ClipEngine.threads();
			ThreadPoolExecutor executor = new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS,
				new LinkedBlockingQueue<>(), r -> {
					Thread t = new Thread(() -> {
						JniUtils.setGradMode(false);
						if (count > 1) {
							// the first query sets this thread up from the engine's count; setting it before would be undone
							JniUtils.getNumThreads();
							JniUtils.setNumThreads(1);
						}
						ready.countDown();
						r.run();
					}, name + "-" + pool + "-" + number.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
			executor.prestartAllCoreThreads();
			try {
				ready.await();
			} catch (InterruptedException e) {
				executor.shutdownNow();
				Thread.currentThread().interrupt();
				throw new ClipException("Interrupted while starting " + name + " threads.", e);
			} finally {
				// setNumThreads also sets the count that threads new to libtorch start with: give it back
				if (count > 1) JniUtils.setNumThreads(engineThreads);
			}
			return new BatchThreads(executor);
		}
	}

	/** One thread per libtorch thread on the CPU, at most {@value #MAX_DEFAULT}; one on a GPU. */
	public static int defaultCount(Device device) {
		return device.isGpu() ? 1 : Math.max(1, Math.min(MAX_DEFAULT, ClipEngine.threads()));
	}

	/** Number of threads. */
	public int size() {
		return executor.getCorePoolSize();
	}

	/** Runs {@code task} on the next free thread. */
	public <T> Future<T> submit(Callable<T> task) {
		return executor.submit(task);
	}

	/**
	 * Runs {@code work} on every item, the items split into one group of about equal {@code size} per thread of
	 * {@code threads} (null or one thread: all on the caller's thread) and the groups run side by side. Returns when
	 * every group is done, rethrowing the first failure. For work that is one native call per array, such as an
	 * optimizer's update, where each call's cost is mostly fixed.
	 */
	public static <T> void forEachBalanced(BatchThreads threads, List<T> items, ToLongFunction<T> size, Consumer<T> work) {
		if (threads == null || threads.size() < 2) {
			items.forEach(work);
			return;
		}
		List<Future<Void>> done = new ArrayList<>();
		for (List<T> group : balance(items, size, threads.size())) {
			done.add(threads.submit(() -> {
				group.forEach(work);
				return null;
			}));
		}
		Tasks.all(done);
	}

	/** Splits {@code items} into at most {@code k} non-empty groups of about equal total {@code size}, largest first. */
	public static <T> List<List<T>> balance(List<T> items, ToLongFunction<T> size, int k) {
		List<T> bySize = new ArrayList<>(items);
		bySize.sort(Comparator.comparingLong(size).reversed());
		List<List<T>> groups = new ArrayList<>(k);
		long[] load = new long[k];
		for (int g = 0; g < k; g++) groups.add(new ArrayList<>());
		for (T item : bySize) {
			int least = 0;
			for (int g = 1; g < k; g++) if (load[g] < load[least]) least = g;
			groups.get(least).add(item);
			load[least] += size.applyAsLong(item);
		}
		groups.removeIf(List::isEmpty);
		return groups;
	}

	/** Stops the threads once the submitted tasks are done, and waits for that. */
	@Override
	public void close() {
		executor.shutdown();
		boolean interrupted = false;
		while (true) {
			try {
				if (executor.awaitTermination(1, TimeUnit.MINUTES)) break;
			} catch (InterruptedException e) {
				interrupted = true;
			}
		}
		if (interrupted) Thread.currentThread().interrupt();
	}
}
