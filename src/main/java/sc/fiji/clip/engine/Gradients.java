package sc.fiji.clip.engine;

import ai.djl.pytorch.jni.JniUtils;

/** Whether autograd records, as libtorch sees it. */
public final class Gradients {

	private Gradients() {}

	/**
	 * Whether this thread records operations for autograd (libtorch's grad mode, per thread: on inside a gradient
	 * collector, off on the thread that started the engine and on {@link BatchThreads}). An array computed from a
	 * leaf that needs a gradient cannot be recognised itself: DJL's {@code hasGradient} and {@code
	 * JniUtils.requiresGrad} (libdjl_torch 0.35.1: {@code requires_grad() && (is_leaf() || retains_grad())}) report
	 * only leaves, and its gradient function's name cannot be asked of an array that has none (the JVM crashes).
	 */
	public static boolean recording() {
		return JniUtils.isGradMode();
	}
}
