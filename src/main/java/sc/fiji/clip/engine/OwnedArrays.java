package sc.fiji.clip.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Copies that own their memory. DJL's {@code toType} and {@code toDevice} return views when nothing changes, and
 * arrays decoded from a file may borrow a Java buffer that is freed once their manager closes; weights and optimizer
 * state that outlive the arrays they came from must be copies.
 */
public final class OwnedArrays {

	private OwnedArrays() {}

	/** A copy of {@code a} on {@code manager}'s device, in memory of its own, attached to {@code manager}. */
	public static NDArray copy(NDArray a, NDManager manager) {
		NDArray c = a.toDevice(manager.getDevice(), false).duplicate();
		c.attach(manager);
		return c;
	}
}
