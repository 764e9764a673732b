package sc.fiji.clip.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Values derived from one loaded model and kept as long as the model is: e.g. the text embeddings of a label set,
 * so that labelling image after image with the same labels encodes the labels once. Holds at most {@link #CAPACITY}
 * values, dropping the least recently used. Values must be plain Java data (no NDArrays: the model's manager may
 * outlive none of them, or all). Thread safe; a value is computed outside the lock, so two threads asking at once may
 * both compute it, and the first stored wins.
 */
public final class ModelMemo {

	/** Most values kept per model. */
	public static final int CAPACITY = 32;

	private final Map<Object, Object> values = new LinkedHashMap<>(16, 0.75f, true) {
		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
			return size() > CAPACITY;
		}
	};

	/** The value for {@code key}, computed by {@code compute} unless held. */
	@SuppressWarnings("unchecked")
	public <T> T get(Object key, Supplier<T> compute) {
		Objects.requireNonNull(key, "key");
		synchronized (values) {
			Object held = values.get(key);
			if (held != null) return (T) held;
		}
		T value = Objects.requireNonNull(compute.get(), "computed value");
		synchronized (values) {
			Object raced = values.putIfAbsent(key, value);
			return raced != null ? (T) raced : value;
		}
	}

	/** Number of values held. */
	public int size() {
		synchronized (values) {
			return values.size();
		}
	}
}
