package sc.fiji.clip.model;

import ai.djl.ndarray.types.Shape;

/** One named tensor of a CLIP model: its Hugging Face name, shape, and how a fresh model initialises it. */
public final class ParameterSpec {

	/** How a fresh model fills the tensor. */
	public enum Init {
		NORMAL, ONES, ZEROS, CONSTANT
	}

	private final String name;
	private final Shape shape;
	private final Init init;
	private final double value;
	private final boolean decayed;

	ParameterSpec(String name, Shape shape, Init init, double value, boolean decayed) {
		this.name = name;
		this.shape = shape;
		this.init = init;
		this.value = value;
		this.decayed = decayed;
	}

	public String name() {
		return name;
	}

	public Shape shape() {
		return shape;
	}

	public Init init() {
		return init;
	}

	/** Standard deviation for {@link Init#NORMAL}, the value for {@link Init#CONSTANT}. */
	public double value() {
		return value;
	}

	/** Whether weight decay applies: matrices and kernels yes; biases, norms, embeddings and the temperature no. */
	public boolean decayed() {
		return decayed;
	}

	@Override
	public String toString() {
		return name + " " + shape;
	}
}
