package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import sc.fiji.clip.ClipException;

/**
 * CLIP's image encoder: bias-free patch convolution, a class token, learned positions, {@code pre_layrnorm}, the
 * transformer, and {@code post_layernorm} on the class token.
 */
final class VisionTransformer {

	private final VisionConfig config;
	private final NDArray patchKernel, classEmbedding, positionEmbedding;
	private final LayerNorm preNorm, postNorm;
	private final TransformerEncoder encoder;
	private final Shape stride;

	VisionTransformer(ClipWeights w, VisionConfig c) {
		config = c;
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
		NDArray patches = Conv2d.conv2d(pixels, patchKernel, null, stride, new Shape(0, 0), new Shape(1, 1), 1)
			.singletonOrThrow().reshape(b, width, -1).transpose(0, 2, 1);
		NDArray cls = pixels.getManager().zeros(new Shape(b, 1, width), pixels.getDataType()).add(classEmbedding);
		NDArray x = NDArrays.concat(new NDList(cls, patches), 1).add(positionEmbedding);
		NDArray h = encoder.forward(preNorm.forward(x), null);
		return postNorm.forward(h.get(":, 0, :"));
	}
}
