package sc.fiji.clip.model;

import sc.fiji.clip.ClipException;

/**
 * Settings shared by CLIP's text and vision transformers, named as in Hugging Face's {@code CLIPTextConfig} and
 * {@code CLIPVisionConfig} so that {@code config.json} files read and write both ways.
 */
public abstract class EncoderConfig {

	public int hidden_size;
	public int intermediate_size;
	public int num_attention_heads;
	public int num_hidden_layers;
	public String hidden_act = "quick_gelu";
	public double layer_norm_eps = 1e-5;
	public int projection_dim;
	public String model_type;

	/** Width of one attention head. */
	public int headSize() {
		return hidden_size / num_attention_heads;
	}

	/** Checks that the sizes make a model, naming the offending field. */
	public void validate(String name) {
		positive(name, "hidden_size", hidden_size);
		positive(name, "intermediate_size", intermediate_size);
		positive(name, "num_attention_heads", num_attention_heads);
		if (num_hidden_layers < 0) throw invalid(name, "num_hidden_layers", num_hidden_layers, "must be 0 or more");
		if (hidden_size % num_attention_heads != 0) {
			throw invalid(name, "hidden_size", hidden_size, "must be a multiple of num_attention_heads (" + num_attention_heads + ")");
		}
		Activation.parse(hidden_act);
	}

	static void positive(String section, String field, long value) {
		if (value <= 0) throw invalid(section, field, value, "must be positive");
	}

	static ClipException invalid(String section, String field, Object value, String what) {
		return new ClipException("Model config: " + section + "." + field + " = " + value + " " + what + ".");
	}
}
