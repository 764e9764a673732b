package sc.fiji.clip.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.OwnedArrays;

/**
 * The tensors of one CLIP model by Hugging Face name, all owned by one {@link NDManager} that closing frees.
 * Created fresh (seeded, Hugging Face's initialisation) or from a checkpoint's named arrays, checked against the
 * {@link ClipArchitecture}.
 */
public final class ClipWeights implements AutoCloseable {

	private final ClipArchitecture architecture;
	private final NDManager manager;
	private volatile boolean trainable;
	private volatile java.util.function.Predicate<String> locked = name -> false;
	private final AtomicLong generation = new AtomicLong();
	private final Map<String, NDArray> arrays = new LinkedHashMap<>();

	private ClipWeights(ClipArchitecture architecture, NDManager manager) {
		this.architecture = architecture;
		this.manager = manager;
	}

	/** Fresh weights drawn from {@code seed}: the same seed gives the same model on any machine. */
	public static ClipWeights initialize(ClipArchitecture architecture, long seed, NDManager parent) {
		ClipWeights w = new ClipWeights(architecture, parent.newSubManager());
		Random random = new Random(seed);
		for (ParameterSpec spec : architecture.parameters()) {
			float[] values = new float[Math.toIntExact(spec.shape().size())];
			switch (spec.init()) {
				case NORMAL:
					for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextGaussian() * spec.value());
					break;
				case ONES:
					java.util.Arrays.fill(values, 1f);
					break;
				case CONSTANT:
					java.util.Arrays.fill(values, (float) spec.value());
					break;
				default:
					break;
			}
			w.put(spec.name(), w.manager.create(values, spec.shape()));
		}
		return w;
	}

	/**
	 * Weights from named arrays (as {@code NDList.decode} reads a safetensors file), copied to {@code parent}'s
	 * device as float32. Every tensor of the architecture must be present with its shape; extra names are returned
	 * in {@code unused} (int64 {@code position_ids} buffers of converted checkpoints land there).
	 */
	public static ClipWeights fromArrays(ClipArchitecture architecture, NDList named, NDManager parent, String source,
		List<String> unused)
	{
		Map<String, NDArray> byName = new LinkedHashMap<>();
		for (NDArray a : named) byName.put(a.getName(), a);
		ClipWeights w = new ClipWeights(architecture, parent.newSubManager());
		try {
			for (ParameterSpec spec : architecture.parameters()) {
				NDArray a = byName.remove(spec.name());
				if (a == null) {
					throw new ClipException(source + " has no tensor '" + spec.name() + "' (expected shape " + spec.shape()
						+ "). Is it a CLIP model in Hugging Face naming, and does config.json match it?");
				}
				Shape shape = a.getShape();
				if (spec.shape().dimension() == 0 && shape.size() == 1) shape = spec.shape();
				if (!shape.equals(spec.shape())) {
					throw new ClipException(source + ": tensor '" + spec.name() + "' has shape " + a.getShape()
						+ " but config.json implies " + spec.shape() + ". The weights and config.json do not belong together.");
				}
				if (!a.getDataType().isFloating()) {
					throw new ClipException(source + ": tensor '" + spec.name() + "' holds " + a.getDataType()
						+ " values; CLIP weights must be floating point (float32, float16 or bfloat16).");
				}
				w.put(spec.name(), OwnedArrays.copy(a.toType(DataType.FLOAT32, false).reshape(spec.shape()), w.manager));
			}
		} catch (RuntimeException e) {
			w.close();
			throw e;
		}
		if (unused != null) unused.addAll(byName.keySet());
		return w;
	}

	private void put(String name, NDArray array) {
		array.setName(name);
		arrays.put(name, array);
	}

	/** The tensor of that name; a missing name is a programming error. */
	public NDArray get(String name) {
		NDArray a = arrays.get(name);
		if (a == null) throw new IllegalArgumentException("No tensor " + name);
		return a;
	}

	/** Names in Hugging Face's order. */
	public List<String> names() {
		return Collections.unmodifiableList(new ArrayList<>(arrays.keySet()));
	}

	/** The tensors by name, in Hugging Face's order: a read-only view, for optimizers. */
	public Map<String, NDArray> byName() {
		return Collections.unmodifiableMap(arrays);
	}

	public ClipArchitecture architecture() {
		return architecture;
	}

	/** Whether weight decay applies to that tensor. */
	public boolean decayed(String name) {
		return architecture.get(name).decayed();
	}

	/**
	 * Keeps the tensors {@code locked} names out of training for good: {@link #setTrainable setTrainable(true)} leaves
	 * them without gradients and {@link #trainableByName} leaves them out (LiT-style locked towers).
	 */
	public void lock(java.util.function.Predicate<String> locked) {
		this.locked = java.util.Objects.requireNonNull(locked, "locked");
		setTrainable(trainable);
	}

	/** Whether that tensor is {@linkplain #lock locked}. */
	public boolean isLocked(String name) {
		return locked.test(name);
	}

	/** The tensors that train: {@link #byName} less the {@linkplain #lock locked} ones, in the same order. */
	public Map<String, NDArray> trainableByName() {
		Map<String, NDArray> open = new LinkedHashMap<>();
		arrays.forEach((name, a) -> {
			if (!locked.test(name)) open.put(name, a);
		});
		return Collections.unmodifiableMap(open);
	}

	/**
	 * Marks every tensor but the {@linkplain #lock locked} ones as trainable (or all as frozen), so that gradients are
	 * (or are not) recorded for it.
	 */
	public void setTrainable(boolean trainable) {
		for (Map.Entry<String, NDArray> e : arrays.entrySet()) e.getValue().setRequiresGradient(trainable && !locked.test(e.getKey()));
		this.trainable = trainable;
		generation.incrementAndGet();
	}

	/**
	 * Says that the tensors' values were changed in place while frozen (a weight average swapped in), so that values
	 * derived from them for inference are derived again.
	 */
	public void contentsChanged() {
		generation.incrementAndGet();
	}

	/** A number that changes whenever the tensors may have changed: on {@link #setTrainable} and {@link #contentsChanged}. */
	public long generation() {
		return generation.get();
	}

	/** Whether the tensors are trainable (see {@link #setTrainable}). */
	public boolean isTrainable() {
		return trainable;
	}

	/** The manager that owns the tensors; scopes for batches are its sub-managers. */
	public NDManager manager() {
		return manager;
	}

	public Device device() {
		return manager.getDevice();
	}

	/** The tensors as a named list (for saving), sharing memory with the model. */
	public NDList toNDList() {
		return new NDList(arrays.values());
	}

	@Override
	public void close() {
		manager.close();
	}
}
