package sc.fiji.clip.io;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import sc.fiji.clip.model.ClipModel;

/**
 * A loaded model, lent for as long as the lease is open. Closing the lease gives the model back; it does not close
 * the model (a {@link ModelCache} decides when a model no one holds is closed). Do not close {@link #model()} yourself.
 * Closing a lease twice is harmless.
 */
public final class ModelLease implements AutoCloseable {

	private final ClipModel model;
	private final ModelMemo memo;
	private final Runnable release;
	private final AtomicBoolean open = new AtomicBoolean(true);

	ModelLease(ClipModel model, ModelMemo memo, Runnable release) {
		this.model = Objects.requireNonNull(model, "model");
		this.memo = Objects.requireNonNull(memo, "memo");
		this.release = release;
	}

	/** A lease on a model no cache holds: closing the lease closes the model (a load per use, a memo per use). */
	public static ModelLease owning(ClipModel model) {
		return new ModelLease(model, new ModelMemo(), model::close);
	}

	/**
	 * The leased model, usable until the lease is closed.
	 *
	 * @throws IllegalStateException if the lease is closed
	 */
	public ClipModel model() {
		if (!open.get()) throw new IllegalStateException("The model lease is closed");
		return model;
	}

	/** Values derived from the leased model, kept as long as the cache keeps the model. */
	public ModelMemo memo() {
		return memo;
	}

	/** Whether the lease is still open. */
	public boolean isOpen() {
		return open.get();
	}

	@Override
	public void close() {
		if (open.compareAndSet(true, false)) release.run();
	}
}
