package sc.fiji.clip.model;

/** The text transformer's settings, as Hugging Face's {@code CLIPTextConfig}. */
public final class TextConfig extends EncoderConfig {

	public int vocab_size = 49408;
	public int max_position_embeddings = 77;
	public int bos_token_id = 49406;
	public int eos_token_id = 49407;
	public int pad_token_id = 1;

	public TextConfig() {
		hidden_size = 512;
		intermediate_size = 2048;
		num_attention_heads = 8;
		num_hidden_layers = 12;
		projection_dim = 512;
		model_type = "clip_text_model";
	}

	/**
	 * Legacy configs (OpenAI's converted checkpoints) say {@code eos_token_id = 2}, which is not the end token's id;
	 * Hugging Face then pools at the largest id, which is the end token in CLIP's vocabulary.
	 */
	public boolean poolsAtLargestId() {
		return eos_token_id == 2;
	}

	@Override
	public void validate(String name) {
		super.validate(name);
		positive(name, "vocab_size", vocab_size);
		positive(name, "max_position_embeddings", max_position_embeddings);
	}
}
