package sc.fiji.clip.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renames an open_clip state dict (as {@code open_clip_model.safetensors} holds it) to Hugging Face's CLIP names,
 * following transformers' {@code convert_clip_original_pytorch_to_hf.py}:
 * <ul>
 * <li>{@code attn.in_proj_weight} [3E, E] is split along rows into {@code self_attn.q_proj/k_proj/v_proj.weight}
 * [E, E] (PyTorch's {@code MultiheadAttention} order q, k, v); {@code attn.in_proj_bias} [3E] likewise;</li>
 * <li>{@code visual.proj} and {@code text_projection}, stored [width, embed] and used as {@code x @ proj}, are
 * transposed to Hugging Face's linear weights [embed, width];</li>
 * <li>every other tensor keeps its values under its new name (see {@link #huggingFaceName}).</li>
 * </ul>
 * Names this class does not know keep their open_clip name, so that loading lists them as unused rather than
 * failing.
 */
public final class OpenClipNames {

	private static final Pattern BLOCK = Pattern.compile("(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.(.+)");

	private OpenClipNames() {}

	/**
	 * The Hugging Face name of a tensor that maps one to one (values unchanged, or transposed for the two
	 * projections), or null for names that need splitting ({@code in_proj_*}) or that this class does not know.
	 */
	public static String huggingFaceName(String name) {
		Matcher m = BLOCK.matcher(name);
		if (m.matches()) {
			String prefix = (m.group(1) != null ? "vision_model" : "text_model") + ".encoder.layers." + m.group(2) + ".";
			String rest = m.group(3);
			String mapped = blockPart(rest);
			return mapped == null ? null : prefix + mapped;
		}
		switch (name) {
			case "token_embedding.weight":
				return "text_model.embeddings.token_embedding.weight";
			case "positional_embedding":
				return "text_model.embeddings.position_embedding.weight";
			case "ln_final.weight":
				return "text_model.final_layer_norm.weight";
			case "ln_final.bias":
				return "text_model.final_layer_norm.bias";
			case "text_projection":
				return "text_projection.weight";
			case "logit_scale":
				return "logit_scale";
			case "visual.conv1.weight":
				return "vision_model.embeddings.patch_embedding.weight";
			case "visual.class_embedding":
				return "vision_model.embeddings.class_embedding";
			case "visual.positional_embedding":
				return "vision_model.embeddings.position_embedding.weight";
			case "visual.ln_pre.weight":
				return "vision_model.pre_layrnorm.weight";
			case "visual.ln_pre.bias":
				return "vision_model.pre_layrnorm.bias";
			case "visual.ln_post.weight":
				return "vision_model.post_layernorm.weight";
			case "visual.ln_post.bias":
				return "vision_model.post_layernorm.bias";
			case "visual.proj":
				return "visual_projection.weight";
			default:
				return null;
		}
	}

	private static String blockPart(String rest) {
		switch (rest) {
			case "ln_1.weight":
				return "layer_norm1.weight";
			case "ln_1.bias":
				return "layer_norm1.bias";
			case "ln_2.weight":
				return "layer_norm2.weight";
			case "ln_2.bias":
				return "layer_norm2.bias";
			case "attn.out_proj.weight":
				return "self_attn.out_proj.weight";
			case "attn.out_proj.bias":
				return "self_attn.out_proj.bias";
			case "mlp.c_fc.weight":
				return "mlp.fc1.weight";
			case "mlp.c_fc.bias":
				return "mlp.fc1.bias";
			case "mlp.c_proj.weight":
				return "mlp.fc2.weight";
			case "mlp.c_proj.bias":
				return "mlp.fc2.bias";
			default:
				return null;
		}
	}

	/**
	 * The tensors of {@code openClip} under Hugging Face names (new arrays live in the same manager as their
	 * sources). Names it does not know are passed through unchanged and added to {@code unknown} (if not null).
	 */
	public static NDList toHuggingFace(NDList openClip, List<String> unknown) {
		NDList out = new NDList(openClip.size() + 8);
		for (NDArray a : openClip) {
			String name = a.getName();
			Matcher m = BLOCK.matcher(name);
			if (m.matches() && (m.group(3).equals("attn.in_proj_weight") || m.group(3).equals("attn.in_proj_bias"))) {
				String prefix = (m.group(1) != null ? "vision_model" : "text_model") + ".encoder.layers." + m.group(2)
					+ ".self_attn.";
				String suffix = m.group(3).endsWith("weight") ? ".weight" : ".bias";
				long rows = a.getShape().get(0);
				if (a.getShape().dimension() == 0 || rows % 3 != 0) {
					// leave it unsplit: the missing q/k/v tensors are then reported by name
					out.add(rename(a, name));
					if (unknown != null) unknown.add(name);
					continue;
				}
				NDList qkv = a.split(3, 0);
				String[] parts = { "q_proj", "k_proj", "v_proj" };
				for (int i = 0; i < 3; i++) out.add(rename(qkv.get(i), prefix + parts[i] + suffix));
				continue;
			}
			String mapped = huggingFaceName(name);
			if (mapped == null) {
				out.add(a);
				if (unknown != null) unknown.add(name);
			} else if ((name.equals("visual.proj") || name.equals("text_projection")) && a.getShape().dimension() == 2) {
				// flatten copies the transposed view into row-major memory, so later byte-level writes see [embed, width]
				out.add(rename(a.transpose().flatten().reshape(a.getShape().get(1), a.getShape().get(0)), mapped));
			} else {
				out.add(rename(a, mapped));
			}
		}
		return out;
	}

	private static NDArray rename(NDArray a, String name) {
		a.setName(name);
		return a;
	}
}
