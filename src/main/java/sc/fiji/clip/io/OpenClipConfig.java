package sc.fiji.clip.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.FijiClipInfo;
import sc.fiji.clip.model.TextConfig;
import sc.fiji.clip.model.VisionConfig;

/**
 * Reads open_clip's {@code open_clip_config.json} ({@code model_cfg}, {@code preprocess_cfg}) into a Hugging Face
 * style {@link ClipConfig}, with open_clip's own defaults for absent fields ({@code CLIPVisionCfg},
 * {@code CLIPTextCfg} in open_clip's {@code model.py}).
 * <p>
 * Decisions:
 * <ul>
 * <li><b>Heads</b>: vision heads = {@code width / head_width} with {@code head_width} 64 when absent (open_clip's
 * rule); text heads = {@code text_cfg.heads}, 8 when absent.</li>
 * <li><b>MLP</b>: {@code intermediate_size = int(width * mlp_ratio)}, {@code mlp_ratio} 4.0 when absent.</li>
 * <li><b>Activation</b>: {@code quick_gelu} when {@code model_cfg.quick_gelu} is true or the model's name (a
 * top-level {@code model_name}, {@code model} or {@code architecture} string, or {@code model_cfg.name}) ends in
 * {@code -quickgelu}, as open_clip marks OpenAI-pretrained weights; otherwise exact (erf) {@code gelu}, open_clip's
 * {@code nn.GELU} default. A wrong choice does not fail, it only shifts the embeddings slightly, so check this for
 * OpenAI weights whose config says neither.</li>
 * <li><b>Text pooling</b>: open_clip pools at {@code argmax(token ids)}; with CLIP's BPE the end token is the
 * largest id, so the Hugging Face defaults (first end token) pool at the same place.</li>
 * <li><b>Images</b>: {@code preprocess_cfg.mean/std} (OpenAI's when absent) go to the config; resizing is OpenAI
 * CLIP's (shortest side, bicubic, centre crop) unless the folder holds a {@code preprocessor_config.json}.</li>
 * <li><b>Tokenizer</b>: CLIP's BPE, read from Hugging Face tokenizer files beside the weights.</li>
 * </ul>
 * Features Fiji CLIP's transformer does not have (ResNet, timm or Hugging Face towers, layer scale, attentional
 * pooling, projection biases, other pooling) are refused with a message rather than loaded wrongly.
 */
public final class OpenClipConfig {

	public static final String FILE = "open_clip_config.json";

	private OpenClipConfig() {}

	/** Parses {@code json}; {@code source} names the file in error messages. */
	public static ClipConfig fromJson(String json, String source) {
		JsonObject root;
		try {
			root = JsonParser.parseString(json).getAsJsonObject();
		} catch (JsonParseException | IllegalStateException e) {
			throw new ClipException(source + " is not valid JSON (" + e.getMessage() + "); it should be open_clip's "
				+ FILE + ".");
		}
		try {
			return convert(root, source);
		} catch (ClassCastException | IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
			throw new ClipException(source + " has a field of the wrong type: " + e.getMessage());
		}
	}

	private static ClipConfig convert(JsonObject root, String source) {
		JsonObject model = root.has("model_cfg") && root.get("model_cfg").isJsonObject()
			? root.getAsJsonObject("model_cfg") : root;
		if (!model.has("embed_dim") || !model.has("vision_cfg") || !model.has("text_cfg")) {
			throw new ClipException(source + " has no model_cfg with embed_dim, vision_cfg and text_cfg: it is not an "
				+ "open_clip model config.");
		}
		JsonObject vision = model.getAsJsonObject("vision_cfg");
		JsonObject text = model.getAsJsonObject("text_cfg");
		refuse(source, vision, "timm_model_name", "a timm image tower");
		refuse(source, vision, "hf_model_name", "a Hugging Face image tower");
		refuse(source, text, "hf_model_name", "a Hugging Face text tower");
		refuseTrue(source, vision, "attentional_pool", "attentional pooling");
		refuseTrue(source, vision, "no_ln_pre", "no pre-layer-norm");
		refuseTrue(source, vision, "final_ln_after_pool", "final layer norm after pooling");
		refuseTrue(source, vision, "proj_bias", "a projection bias");
		refuseTrue(source, text, "proj_bias", "a projection bias");
		refuseTrue(source, text, "embed_cls", "a text class token");
		refuseTrue(source, text, "no_causal_mask", "a non-causal text encoder");
		refuseNonNull(source, vision, "ls_init_value", "layer scale");
		refuseNonNull(source, text, "ls_init_value", "layer scale");
		refuseOther(source, vision, "pool_type", "tok");
		refuseOther(source, text, "pool_type", "argmax");
		if (vision.has("layers") && vision.get("layers").isJsonArray()) {
			throw new ClipException(source + " describes a ResNet image tower; Fiji CLIP reads only ViT (vision "
				+ "transformer) CLIP models.");
		}

		ClipConfig config = new ClipConfig();
		config.projection_dim = model.get("embed_dim").getAsInt();
		String act = quickGelu(root, model) ? "quick_gelu" : "gelu";

		VisionConfig v = config.vision_config;
		v.num_hidden_layers = integer(vision, "layers", 12);
		v.hidden_size = integer(vision, "width", 768);
		int headWidth = integer(vision, "head_width", 64);
		if (headWidth <= 0 || v.hidden_size % headWidth != 0) {
			throw new ClipException(source + ": vision_cfg.width " + v.hidden_size + " is not a multiple of head_width "
				+ headWidth + ".");
		}
		v.num_attention_heads = v.hidden_size / headWidth;
		v.intermediate_size = (int) (v.hidden_size * number(vision, "mlp_ratio", 4.0));
		v.image_size = square(source, vision, "image_size", 224);
		v.patch_size = square(source, vision, "patch_size", 16);
		v.hidden_act = act;
		v.layer_norm_eps = 1e-5;

		TextConfig t = config.text_config;
		t.max_position_embeddings = integer(text, "context_length", 77);
		t.vocab_size = integer(text, "vocab_size", 49408);
		t.hidden_size = integer(text, "width", 512);
		t.num_attention_heads = integer(text, "heads", 8);
		t.num_hidden_layers = integer(text, "layers", 12);
		t.intermediate_size = (int) (t.hidden_size * number(text, "mlp_ratio", 4.0));
		t.hidden_act = act;
		t.layer_norm_eps = 1e-5;

		config.fiji_clip = new FijiClipInfo();
		config.fiji_clip.tokenizer = FijiClipInfo.BPE_TOKENIZER;
		JsonObject preprocess = root.has("preprocess_cfg") && root.get("preprocess_cfg").isJsonObject()
			? root.getAsJsonObject("preprocess_cfg") : new JsonObject();
		if (preprocess.has("mean")) config.fiji_clip.image_mean = triple(source, preprocess, "mean");
		if (preprocess.has("std")) config.fiji_clip.image_std = triple(source, preprocess, "std");
		config.validate(source);
		return config;
	}

	private static boolean quickGelu(JsonObject root, JsonObject model) {
		if (model.has("quick_gelu") && !model.get("quick_gelu").isJsonNull()) {
			return model.get("quick_gelu").getAsBoolean();
		}
		for (JsonObject o : new JsonObject[] { root, model }) {
			for (String key : new String[] { "model_name", "model", "architecture", "name" }) {
				JsonElement e = o.get(key);
				if (e != null && e.isJsonPrimitive() && e.getAsString().toLowerCase(Locale.ROOT).endsWith("-quickgelu")) {
					return true;
				}
			}
		}
		return false;
	}

	private static int integer(JsonObject o, String key, int fallback) {
		JsonElement e = o.get(key);
		return e == null || e.isJsonNull() ? fallback : e.getAsInt();
	}

	private static double number(JsonObject o, String key, double fallback) {
		JsonElement e = o.get(key);
		return e == null || e.isJsonNull() ? fallback : e.getAsDouble();
	}

	/** An int, or a [h, w] pair with h == w. */
	private static int square(String source, JsonObject o, String key, int fallback) {
		JsonElement e = o.get(key);
		if (e == null || e.isJsonNull()) return fallback;
		if (!e.isJsonArray()) return e.getAsInt();
		JsonArray a = e.getAsJsonArray();
		if (a.size() != 2 || a.get(0).getAsInt() != a.get(1).getAsInt()) {
			throw new ClipException(source + ": " + key + " " + a + " is not square; Fiji CLIP reads square inputs only.");
		}
		return a.get(0).getAsInt();
	}

	private static double[] triple(String source, JsonObject o, String key) {
		JsonElement e = o.get(key);
		double[] r = new double[3];
		if (e.isJsonPrimitive()) {
			java.util.Arrays.fill(r, e.getAsDouble());
			return r;
		}
		JsonArray a = e.getAsJsonArray();
		if (a.size() != 3) throw new ClipException(source + ": preprocess_cfg." + key + " must hold 3 values (RGB).");
		for (int i = 0; i < 3; i++) r[i] = a.get(i).getAsDouble();
		return r;
	}

	private static void refuse(String source, JsonObject o, String key, String what) {
		JsonElement e = o.get(key);
		if (e != null && !e.isJsonNull() && !(e.isJsonPrimitive() && e.getAsString().isEmpty())) {
			throw unsupported(source, key, e, what);
		}
	}

	private static void refuseTrue(String source, JsonObject o, String key, String what) {
		JsonElement e = o.get(key);
		if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean()) {
			throw unsupported(source, key, e, what);
		}
	}

	private static void refuseNonNull(String source, JsonObject o, String key, String what) {
		JsonElement e = o.get(key);
		if (e != null && !e.isJsonNull()) throw unsupported(source, key, e, what);
	}

	private static void refuseOther(String source, JsonObject o, String key, String allowed) {
		JsonElement e = o.get(key);
		if (e != null && !e.isJsonNull() && !allowed.equals(e.getAsString())) {
			throw unsupported(source, key, e, "pooling other than '" + allowed + "'");
		}
	}

	private static ClipException unsupported(String source, String key, JsonElement value, String what) {
		return new ClipException(source + " asks for " + what + " (" + key + " = " + value + "), which Fiji CLIP's "
			+ "CLIP transformer does not have. Only plain ViT CLIP models (as OpenAI's) can be loaded.");
	}
}
