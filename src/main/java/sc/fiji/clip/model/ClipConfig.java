package sc.fiji.clip.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Collections;
import java.util.List;
import sc.fiji.clip.ClipException;

/**
 * A CLIP model's shape, as Hugging Face's {@code CLIPConfig}: a text and a vision transformer, the joint embedding
 * size and the initial temperature, plus Fiji CLIP's own {@link FijiClipInfo} block. The JSON written by
 * {@link #toJson()} loads in {@code transformers.CLIPModel.from_pretrained}.
 */
public final class ClipConfig {

	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
		.serializeSpecialFloatingPointValues().create();

	public TextConfig text_config = new TextConfig();
	public VisionConfig vision_config = new VisionConfig();
	public int projection_dim = 512;
	public double logit_scale_init_value = Math.log(1 / 0.07);
	public String model_type = "clip";
	public List<String> architectures = Collections.singletonList("CLIPModel");
	public FijiClipInfo fiji_clip = new FijiClipInfo();

	/** Reads a {@code config.json}; {@code source} names the file in error messages. */
	public static ClipConfig fromJson(String json, String source) {
		JsonObject root;
		try {
			root = JsonParser.parseString(json).getAsJsonObject();
		} catch (JsonParseException | IllegalStateException e) {
			throw new ClipException(source + " is not valid JSON (" + e.getMessage() + "); it should be a CLIP config.json.");
		}
		if (root.has("model_type") && !"clip".equals(root.get("model_type").getAsString())) {
			throw new ClipException(source + " describes a '" + root.get("model_type").getAsString()
				+ "' model, not a CLIP model (model_type 'clip').");
		}
		// configs written by transformers 4.16 carry nulls for *_config_dict; older ones use those instead
		renameIfAbsent(root, "text_config_dict", "text_config");
		renameIfAbsent(root, "vision_config_dict", "vision_config");
		ClipConfig config;
		try {
			config = GSON.fromJson(root, ClipConfig.class);
		} catch (JsonParseException | NumberFormatException | IllegalStateException e) {
			throw new ClipException(source + " has a field of the wrong type: " + e.getMessage());
		}
		if (config.text_config == null) config.text_config = new TextConfig();
		if (config.vision_config == null) config.vision_config = new VisionConfig();
		if (!root.has("fiji_clip") || config.fiji_clip == null) {
			// a pretrained Hugging Face / OpenAI / open_clip config: CLIP's BPE vocabulary
			config.fiji_clip = new FijiClipInfo();
			config.fiji_clip.tokenizer = FijiClipInfo.BPE_TOKENIZER;
		}
		if (config.fiji_clip.format_version > FijiClipInfo.CURRENT_FORMAT) {
			throw new ClipException(source + " was written by a newer Fiji CLIP (model format "
				+ config.fiji_clip.format_version + "; this version reads up to " + FijiClipInfo.CURRENT_FORMAT
				+ "). Update Fiji CLIP (Help > Update...).");
		}
		config.validate(source);
		return config;
	}

	private static void renameIfAbsent(JsonObject root, String from, String to) {
		JsonElement value = root.get(from);
		JsonElement current = root.get(to);
		if (value != null && value.isJsonObject() && (current == null || current.isJsonNull())) root.add(to, value);
		root.remove(from);
	}

	/** The config as Hugging Face writes it, with the {@code fiji_clip} block. */
	public String toJson() {
		text_config.projection_dim = projection_dim;
		vision_config.projection_dim = projection_dim;
		return GSON.toJson(this);
	}

	/** A deep copy. */
	public ClipConfig copy() {
		return GSON.fromJson(GSON.toJson(this), ClipConfig.class);
	}

	/** Checks every size, naming the file and field at fault. */
	public void validate(String source) {
		try {
			text_config.validate("text_config");
			vision_config.validate("vision_config");
			EncoderConfig.positive("", "projection_dim", projection_dim);
		} catch (ClipException e) {
			throw new ClipException(source + ": " + e.getMessage(), e);
		}
	}

	/** One line: "text 4x32 (8 heads), vision 3x9 (3 heads, 128 px / 64), projection 32". */
	public String describe() {
		TextConfig t = text_config;
		VisionConfig v = vision_config;
		return String.format("text %d layers x %d wide (%d heads, %d tokens, vocabulary %d), vision %d layers x %d wide "
			+ "(%d heads, %d px in %d px patches), embedding %d, %s", t.num_hidden_layers, t.hidden_size,
			t.num_attention_heads, t.max_position_embeddings, t.vocab_size, v.num_hidden_layers, v.hidden_size,
			v.num_attention_heads, v.image_size, v.patch_size, projection_dim, t.hidden_act);
	}
}
