package sc.fiji.clip.io;

import ai.djl.Device;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipModel;

/**
 * Loaded models kept for the next use, so that labelling image after image loads the model once.
 * <p>
 * A model is found again by its file's real path, modification time and size, and its device ({@link ModelKey}):
 * a file written again (a new modification time) loads again, and its old version is closed once no one holds it.
 * The cache holds at most {@link #budget()} bytes of weights (estimated as parameters × 4 bytes, float32) and closes
 * the least recently used models it holds beyond that. A model in use is never closed: {@link #lease} lends it until
 * the lease is closed, and only models without an open lease are evicted. A budget of 0 keeps nothing: every lease
 * loads and its close closes the model, as without a cache. {@link #close()} closes every model (one still leased
 * when its lease closes).
 * <p>
 * Thread safe: leases of the same model at once share one load; loading runs outside the cache's lock.
 */
public final class ModelCache implements AutoCloseable {

	/** System property with the default budget: bytes, or with a suffix {@code k}, {@code m}, {@code g}; 0 = off. */
	public static final String BUDGET_PROPERTY = "fiji.clip.modelCache";

	/** The largest default budget, whatever the machine's memory: 4 GiB (ViT-L/14 weights are 1.7 GB). */
	public static final long MAX_DEFAULT_BUDGET = 4L << 30;

	/** Loads a model file onto a device ({@link ModelFiles#load(Path, Device)} unless a test counts loads). */
	@FunctionalInterface
	public interface Loader {
		ClipModel load(Path path, Device device);
	}

	private final Loader loader;
	private final Map<ModelKey, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
	private long budget, loads;
	private boolean closed;

	/** A cache of {@code budget} bytes loading with {@link ModelFiles#load(Path, Device)}. */
	public ModelCache(long budget) {
		this(budget, ModelFiles::load);
	}

	public ModelCache(long budget, Loader loader) {
		this.loader = loader;
		setBudget(budget);
	}

	/**
	 * The budget unless set otherwise: {@value #BUDGET_PROPERTY} when set, else a quarter of the machine's physical
	 * memory, at most {@link #MAX_DEFAULT_BUDGET}.
	 */
	public static long defaultBudget() {
		String set = System.getProperty(BUDGET_PROPERTY);
		if (set != null && !set.isBlank()) return parseBytes(set);
		long physical = physicalMemory();
		return physical > 0 ? Math.min(physical / 4, MAX_DEFAULT_BUDGET) : MAX_DEFAULT_BUDGET / 2;
	}

	/** Bytes from {@code 123}, {@code 512k}, {@code 300m} or {@code 2g}. */
	public static long parseBytes(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT);
		int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
		try {
			long n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1).trim());
			if (n < 0) throw new NumberFormatException();
			return n << shift;
		} catch (NumberFormatException e) {
			throw new ClipException("The model cache budget '" + text + "' is not a size: give bytes, or e.g. 512m or 2g (0 = off).");
		}
	}

	private static long physicalMemory() {
		try {
			return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getTotalPhysicalMemorySize();
		} catch (RuntimeException | LinkageError e) {
			return -1;
		}
	}

	/** The memory a loaded model's weights take: parameters × 4 bytes. */
	public static long estimateBytes(ClipModel model) {
		return model.parameterCount() * Float.BYTES;
	}

	/**
	 * Lends the model at {@code path} on {@code device}, loading it unless this version is held. Close the lease when
	 * done (try-with-resources); the model stays open until then, whatever else happens to the cache.
	 *
	 * @throws IllegalStateException if the cache is closed
	 */
	public ModelLease lease(Path path, Device device) {
		ModelKey key = ModelKey.of(path, device);
		Entry entry;
		boolean load = false;
		List<ClipModel> stale = new ArrayList<>();
		synchronized (this) {
			if (closed) throw new IllegalStateException("The model cache is closed");
			retireOtherVersions(key, stale);
			entry = entries.get(key);
			if (entry == null) {
				entry = new Entry();
				entries.put(key, entry);
				load = true;
				loads++;
			}
			entry.leases++;
		}
		closeAll(stale);
		Entry leased = entry;
		return new ModelLease(load ? load(key, leased, path) : await(leased), leased.memo, () -> release(leased));
	}

	private ClipModel load(ModelKey key, Entry entry, Path path) {
		ClipModel model;
		try {
			model = loader.load(path, key.device);
		} catch (RuntimeException | Error e) {
			synchronized (this) {
				entries.remove(key, entry);
				entry.leases--;
			}
			entry.model.completeExceptionally(e);
			throw e;
		}
		List<ClipModel> evicted = new ArrayList<>();
		synchronized (this) {
			entry.loaded = model;
			entry.bytes = estimateBytes(model);
			evict(evicted);
		}
		entry.model.complete(model);
		closeAll(evicted);
		return model;
	}

	private ClipModel await(Entry entry) {
		try {
			return entry.model.join();
		} catch (CompletionException e) {
			synchronized (this) {
				entry.leases--;
			}
			Throwable cause = e.getCause();
			if (cause instanceof RuntimeException) throw (RuntimeException) cause;
			if (cause instanceof Error) throw (Error) cause;
			throw e;
		}
	}

	private void release(Entry entry) {
		List<ClipModel> close = new ArrayList<>();
		synchronized (this) {
			entry.leases--;
			if (entry.leases == 0 && entry.retired) close.add(entry.loaded);
			else evict(close);
		}
		closeAll(close);
	}

	/** Takes older (or newer) versions of the same file and device out of the cache. */
	private void retireOtherVersions(ModelKey key, List<ClipModel> close) {
		for (Iterator<Map.Entry<ModelKey, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
			Map.Entry<ModelKey, Entry> e = it.next();
			if (e.getKey().sameModel(key) && !e.getKey().equals(key)) {
				it.remove();
				retire(e.getValue(), close);
			}
		}
	}

	private static void retire(Entry entry, List<ClipModel> close) {
		if (entry.leases == 0 && entry.loaded != null) close.add(entry.loaded);
		else entry.retired = true;
	}

	/** Removes the least recently used models without a lease until what is held fits the budget. */
	private void evict(List<ClipModel> close) {
		long held = bytesHeld();
		for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && held > budget;) {
			Entry e = it.next();
			if (e.leases > 0 || e.loaded == null) continue;
			it.remove();
			close.add(e.loaded);
			held -= e.bytes;
		}
	}

	private static void closeAll(List<ClipModel> models) {
		for (ClipModel m : models) if (m != null) m.close();
	}

	/** The most bytes of weights kept for later use. */
	public synchronized long budget() {
		return budget;
	}

	/** Changes the budget (0 = keep nothing), closing unleased models beyond it. */
	public void setBudget(long bytes) {
		if (bytes < 0) throw new IllegalArgumentException("The model cache budget must be 0 or more, not " + bytes);
		List<ClipModel> close = new ArrayList<>();
		synchronized (this) {
			budget = bytes;
			evict(close);
		}
		closeAll(close);
	}

	/** Estimated bytes of the models held, leased or not. */
	public synchronized long bytesHeld() {
		long sum = 0;
		for (Entry e : entries.values()) sum += e.bytes;
		return sum;
	}

	/** Number of models held (loaded or loading). */
	public synchronized int size() {
		return entries.size();
	}

	/** Number of loads so far (each a read of a model file). */
	public synchronized long loads() {
		return loads;
	}

	/** Whether the current version of {@code path} on {@code device} is held. */
	public synchronized boolean holds(Path path, Device device) {
		return entries.containsKey(ModelKey.of(path, device)); // not get(): that would count as a use
	}

	/** Takes every model out of the cache: closes those without a lease now, the others when their lease closes. */
	public void clear() {
		List<ClipModel> close = new ArrayList<>();
		synchronized (this) {
			for (Entry e : entries.values()) retire(e, close);
			entries.clear();
		}
		closeAll(close);
	}

	/** Clears the cache and refuses further leases. */
	@Override
	public void close() {
		synchronized (this) {
			closed = true;
		}
		clear();
	}

	/** One model held: loading or loaded, with its open leases. */
	private static final class Entry {
		final CompletableFuture<ClipModel> model = new CompletableFuture<>();
		final ModelMemo memo = new ModelMemo();
		ClipModel loaded;
		long bytes;
		int leases;
		boolean retired;
	}
}
