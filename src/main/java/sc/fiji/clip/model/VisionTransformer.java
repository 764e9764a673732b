package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.Gradients;

/**
 * CLIP's image encoder: bias-free patch convolution (a matrix product where the pixels may need a gradient), a class
 * token, learned positions, {@code pre_layrnorm}, the transformer, and {@code post_layernorm} on the class token.
 */
final class VisionTransformer {

	private final VisionConfig config;
	private final ClipWeights weights;
	private final NDArray patchKernel, classEmbedding, positionEmbedding;
	private final LayerNorm preNorm, postNorm;
	private final TransformerEncoder encoder;
	private final Shape stride;

	VisionTransformer(ClipWeights w, VisionConfig c) {
		config = c;
		weights = w;
		patchKernel = w.get("vision_model.embeddings.patch_embedding.weight");
		classEmbedding = w.get("vision_model.embeddings.class_embedding");
		positionEmbedding = w.get("vision_model.embeddings.position_embedding.weight");
		preNorm = new LayerNorm(w, "vision_model.pre_layrnorm", c.layer_norm_eps);
		encoder = new TransformerEncoder(w, "vision_model.encoder", c);
		postNorm = new LayerNorm(w, "vision_model.post_layernorm", c.layer_norm_eps);
		stride = new Shape(c.patch_size, c.patch_size);
	}

	/** Pooled class-token states [batch, width] of normalised pixels [batch, 3, size, size]. */
	NDArray forward(NDArray pixels) {
		Shape s = pixels.getShape();
		if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != config.image_size || s.get(3) != config.image_size) {
			throw new ClipException("The image encoder takes [batch, 3, " + config.image_size + ", " + config.image_size
				+ "] pixels, got " + s + ".");
		}
		long b = s.get(0), width = config.hidden_size;
		// frozen weights in a recorded pass: only the pixels can need a gradient (a colour image), and the
		// convolution's is wrong on some CPUs (patchProducts); trainable weights take pixels that are data
		if (!weights.isTrainable() && Gradients.recording()) return pooled(patchProducts(pixels));
		NDArray patches = Conv2d.conv2d(pixels, patchKernel, null, stride, new Shape(0, 0), new Shape(1, 1), 1)
			.singletonOrThrow().reshape(b, width, -1).transpose(0, 2, 1);
		return pooled(patches);
	}

	/**
	 * The patch embeddings [batch, patches, width] as one matrix product of the flattened patches and the flattened
	 * kernel: the convolution's stride is its size, so patches do not overlap. For pixels that may need a gradient
	 * (a colour image optimised pixel by pixel) this replaces the convolution, whose input gradient oneDNN 3.7.1
	 * (libtorch 2.7.1) computes wrongly, NaN at times, on CPUs with AVX-512 when the width is not a multiple of 16
	 * ({@code jit:avx512_core} backward_data, e.g. tiny's width 8: off by up to 14 on random inputs; AVX2's kernels
	 * are right). The convolution's forward pass and weight gradient are right, and faster than this product for
	 * large models (ViT-B/32 on 2 cores: 35 against 72 ms per 32 images), so inference and training keep it.
	 */
	private NDArray patchProducts(NDArray pixels) {
		long b = pixels.getShape().get(0), width = config.hidden_size, p = config.patch_size;
		long n = config.image_size / p;
		NDArray patches = pixels.reshape(b, 3, n, p, n, p).transpose(0, 2, 4, 1, 3, 5).reshape(b, n * n, 3 * p * p);
		NDArray kernel = patchKernel.reshape(width, 3 * p * p);
		kernel.attach(pixels.getManager()); // a view made in the weights' manager would stay there until the model closes
		return ai.djl.nn.core.Linear.linear(patches, kernel).singletonOrThrow();
	}

	/**
	 * As {@link #forward} for images of one colour each, given as normalised channel values [batch, 3]. Every patch
	 * of such an image holds the same pixels, so its embedding is the colour times the kernel summed over the patch:
	 * one small product instead of building the pixels and convolving them, forward and backward.
	 */
	NDArray forwardUniform(NDArray colors) {
		Shape s = colors.getShape();
		if (s.dimension() != 2 || s.get(1) != 3) {
			throw new ClipException("Colours for the image encoder are [batch, 3] channel values, got " + s + ".");
		}
		long b = s.get(0), width = config.hidden_size, count = positionEmbedding.getShape().get(0) - 1;
		NDArray kernel = patchKernel.sum(new int[] { 2, 3 }); // [width, 3]
		kernel.attach(colors.getManager()); // a result belongs to its first operand's manager: here the model's
		NDArray patch = colors.matMul(kernel.transpose()); // [batch, width]
		return pooled(patch.expandDims(1).broadcast(new Shape(b, count, width)));
	}

	/** The class token and patch embeddings [batch, patches, width] through the transformer, pooled. */
	private NDArray pooled(NDArray patches) {
		long b = patches.getShape().get(0), width = config.hidden_size;
		NDArray cls = patches.getManager().zeros(new Shape(b, 1, width), patches.getDataType()).add(classEmbedding);
		NDArray x = NDArrays.concat(new NDList(cls, patches), 1).add(positionEmbedding);
		NDArray h = encoder.forward(preNorm.forward(x), null);
		return postNorm.forward(h.get(":, 0, :"));
	}
}
