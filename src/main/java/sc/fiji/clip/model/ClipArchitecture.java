package sc.fiji.clip.model;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every tensor of the CLIP architecture for a given config, in Hugging Face's names and order, with the shapes a
 * checkpoint must have and Hugging Face's initialisation for fresh models. The single source for creating,
 * loading (shape checks) and counting parameters.
 */
public final class ClipArchitecture {

	public static final String LOGIT_SCALE = "logit_scale";
	public static final String TEXT_PROJECTION = "text_projection.weight";
	public static final String VISUAL_PROJECTION = "visual_projection.weight";

	private final ClipConfig config;
	private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();

	public ClipArchitecture(ClipConfig config) {
		this.config = config;
		TextConfig t = config.text_config;
		VisionConfig v = config.vision_config;
		normal("text_model.embeddings.token_embedding.weight", false, 0.02, t.vocab_size, t.hidden_size);
		normal("text_model.embeddings.position_embedding.weight", false, 0.02, t.max_position_embeddings, t.hidden_size);
		encoder("text_model.encoder", t);
		layerNorm("text_model.final_layer_norm", t.hidden_size);
		normal("vision_model.embeddings.class_embedding", false, Math.pow(v.hidden_size, -0.5), v.hidden_size);
		normal("vision_model.embeddings.patch_embedding.weight", true, 0.02, v.hidden_size, v.num_channels,
			v.patch_size, v.patch_size);
		// OpenAI's initialisation (width^-0.5), not Hugging Face's 0.02: with 0.02 a model trained from scratch
		// learns where things are in the image several times more slowly
		normal("vision_model.embeddings.position_embedding.weight", false, Math.pow(v.hidden_size, -0.5), v.tokens(),
			v.hidden_size);
		layerNorm("vision_model.pre_layrnorm", v.hidden_size);
		encoder("vision_model.encoder", v);
		layerNorm("vision_model.post_layernorm", v.hidden_size);
		normal(VISUAL_PROJECTION, true, Math.pow(v.hidden_size, -0.5), config.projection_dim, v.hidden_size);
		normal(TEXT_PROJECTION, true, Math.pow(t.hidden_size, -0.5), config.projection_dim, t.hidden_size);
		add(new ParameterSpec(LOGIT_SCALE, new Shape(), ParameterSpec.Init.CONSTANT, config.logit_scale_init_value, false));
	}

	private void encoder(String prefix, EncoderConfig c) {
		int e = c.hidden_size;
		double inStd = Math.pow(e, -0.5) * Math.pow(2.0 * Math.max(1, c.num_hidden_layers), -0.5);
		double outStd = Math.pow(e, -0.5);
		double fcStd = Math.pow(2.0 * e, -0.5);
		for (int i = 0; i < c.num_hidden_layers; i++) {
			String l = prefix + ".layers." + i + ".";
			for (String p : new String[] { "q_proj", "k_proj", "v_proj", "out_proj" }) {
				normal(l + "self_attn." + p + ".weight", true, p.equals("out_proj") ? outStd : inStd, e, e);
				zeros(l + "self_attn." + p + ".bias", e);
			}
			layerNorm(l + "layer_norm1", e);
			normal(l + "mlp.fc1.weight", true, fcStd, c.intermediate_size, e);
			zeros(l + "mlp.fc1.bias", c.intermediate_size);
			normal(l + "mlp.fc2.weight", true, inStd, e, c.intermediate_size);
			zeros(l + "mlp.fc2.bias", e);
			layerNorm(l + "layer_norm2", e);
		}
	}

	private void layerNorm(String prefix, int width) {
		add(new ParameterSpec(prefix + ".weight", new Shape(width), ParameterSpec.Init.ONES, 1, false));
		zeros(prefix + ".bias", width);
	}

	private void zeros(String name, long... shape) {
		add(new ParameterSpec(name, new Shape(shape), ParameterSpec.Init.ZEROS, 0, false));
	}

	private void normal(String name, boolean decayed, double std, long... shape) {
		add(new ParameterSpec(name, new Shape(shape), ParameterSpec.Init.NORMAL, std, decayed));
	}

	private void add(ParameterSpec spec) {
		specs.put(spec.name(), spec);
	}

	public ClipConfig config() {
		return config;
	}

	/** All tensors in Hugging Face's order. */
	public List<ParameterSpec> parameters() {
		return Collections.unmodifiableList(new ArrayList<>(specs.values()));
	}

	/** The spec of one tensor, or null when the architecture has no such name. */
	public ParameterSpec get(String name) {
		return specs.get(name);
	}

	/** Number of scalar parameters. */
	public long parameterCount() {
		long n = 0;
		for (ParameterSpec s : specs.values()) n += s.shape().size();
		return n;
	}
}
