package sc.fiji.clip.model;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What Fiji CLIP stores beside Hugging Face's fields in {@code config.json} (the {@code fiji_clip} block): the model
 * file format version, the tokenizer kind, image normalisation, the caption templates used in training and free-form
 * training metadata. Python tools ignore the block.
 */
public final class FijiClipInfo {

	/** The model file layout this code writes; files from a newer layout are refused with a clear message. */
	public static final int CURRENT_FORMAT = 1;

	public static final String BYTE_TOKENIZER = "byte";
	public static final String BPE_TOKENIZER = "bpe";

	public int format_version = CURRENT_FORMAT;
	public String tokenizer = BYTE_TOKENIZER;
	public double[] image_mean = { 0.48145466, 0.4578275, 0.40821073 };
	public double[] image_std = { 0.26862954, 0.26130258, 0.27577711 };
	public List<String> templates = new ArrayList<>();
	public JsonObject training = new JsonObject();
}
