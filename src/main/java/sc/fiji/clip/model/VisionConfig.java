package sc.fiji.clip.model;

/** The vision transformer's settings, as Hugging Face's {@code CLIPVisionConfig}. */
public final class VisionConfig extends EncoderConfig {

	public int image_size = 224;
	public int patch_size = 32;
	public int num_channels = 3;

	public VisionConfig() {
		hidden_size = 768;
		intermediate_size = 3072;
		num_attention_heads = 12;
		num_hidden_layers = 12;
		projection_dim = 512;
		model_type = "clip_vision_model";
	}

	/** Patches along one side of the input image. */
	public int gridSize() {
		return image_size / patch_size;
	}

	/** Tokens the encoder sees: one per patch plus the class token. */
	public int tokens() {
		return gridSize() * gridSize() + 1;
	}

	@Override
	public void validate(String name) {
		super.validate(name);
		positive(name, "image_size", image_size);
		positive(name, "patch_size", patch_size);
		if (image_size % patch_size != 0) {
			throw invalid(name, "image_size", image_size, "must be a multiple of patch_size (" + patch_size + ")");
		}
		if (num_channels != 3) throw invalid(name, "num_channels", num_channels, "must be 3 (RGB)");
	}
}
