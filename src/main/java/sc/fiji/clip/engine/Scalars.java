package sc.fiji.clip.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for arrays that take part in a gradient computation.
 * <p>
 * DJL's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code maximum(Number)} and the like wrap the number in a
 * tensor over a direct {@code ByteBuffer}, use it and close it at once. Autograd keeps that tensor for the backward
 * pass (the derivative of {@code c·x} is {@code c}) but not the Java buffer that holds its value: once the JVM collects
 * the buffer, the backward pass reads freed memory and gradients come out wrong, NaN or different from run to run.
 * A scalar from {@link #of} is filled by libtorch in its own memory ({@code torch::full}), which autograd keeps alive
 * for as long as it needs it, even when the Java handle is closed before the backward pass (as the encoder's
 * per-layer scopes do); the handle belongs to the other operand's manager.
 */
public final class Scalars {

	private Scalars() {}

	/** {@code value} as a 0-d array of {@code like}'s data type in {@code like}'s manager, in libtorch's memory. */
	public static NDArray of(NDArray like, float value) {
		return like.getManager().full(new Shape(), value, like.getDataType());
	}
}
