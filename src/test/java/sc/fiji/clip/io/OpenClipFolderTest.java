package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.testing.Fixtures;

/**
 * An open_clip folder ({@code open_clip_model.safetensors} in open_clip's state-dict names, {@code open_clip_config.json},
 * tokenizer files, no Hugging Face config or preprocessor config) built from the hf-clip-tiny fixture loads and gives
 * the fixture's embeddings; pickle/TorchScript-only folders are refused with a clear message.
 */
public class OpenClipFolderTest {

	@TempDir
	Path dir;

	@Test
	void openClipFolderReproducesTheFixture() throws Exception {
		Path folder = openClipFolder(dir.resolve("open_clip"));
		List<String> unused = new ArrayList<>();
		try (ClipModel model = ModelFiles.load(folder, Device.cpu(), unused)) {
			assertEquals("quick_gelu", model.config().text_config.hidden_act);
			assertEquals(4, model.config().vision_config.num_attention_heads);
			FixtureEmbeddings.assertMatches(model);
		}
		assertEquals(List.of("visual.unknown_extra"), unused);
	}

	@Test
	void pickleOnlyFolderIsRefusedWithHowToConvert() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("openai"));
		Files.write(folder.resolve("ViT-B-32.pt"), new byte[] { 1, 2, 3 });
		Files.write(folder.resolve("pytorch_model.bin"), new byte[] { 1, 2, 3 });
		ClipException e = assertThrows(ClipException.class, () -> ModelFiles.load(folder, Device.cpu()));
		assertTrue(e.getMessage().contains("ViT-B-32.pt, pytorch_model.bin"), e.getMessage());
		assertTrue(e.getMessage().contains("does not read"), e.getMessage());
		assertTrue(e.getMessage().contains("safe_serialization=True"), e.getMessage());
		assertTrue(e.getMessage().contains("open_clip"), e.getMessage());

		Path pt = folder.resolve("ViT-B-32.pt");
		ClipException file = assertThrows(ClipException.class, () -> ModelFiles.load(pt, Device.cpu()));
		assertTrue(file.getMessage().contains("TorchScript"), file.getMessage());
		assertTrue(file.getMessage().contains("safe_serialization=True"), file.getMessage());
	}

	@Test
	void openClipConfigWithPickleWeightsSaysHowToConvert() throws Exception {
		Path folder = openClipFolder(dir.resolve("pickled"));
		Files.delete(folder.resolve(ModelFiles.OPEN_CLIP_WEIGHTS));
		Files.write(folder.resolve("open_clip_pytorch_model.bin"), new byte[] { 1 });
		ClipException e = assertThrows(ClipException.class, () -> ModelFiles.load(folder, Device.cpu()));
		assertTrue(e.getMessage().contains("open_clip_pytorch_model.bin"), e.getMessage());
		assertTrue(e.getMessage().contains("does not read"), e.getMessage());
	}

	/**
	 * Writes the fixture as open_clip would save it: renamed tensors, q/k/v concatenated into {@code in_proj_*},
	 * projections transposed to [width, embed], plus one tensor open_clip names that CLIP does not use.
	 */
	public static Path openClipFolder(Path folder) throws Exception {
		Files.createDirectories(folder);
		Path fixture = Fixtures.hfClipTiny();
		try (NDManager manager = ClipEngine.get().newBaseManager(Device.cpu())) {
			NDList hf;
			try (InputStream in = Files.newInputStream(fixture.resolve("model.safetensors"))) {
				hf = NDList.decode(manager, in);
			}
			Map<String, NDArray> byName = new HashMap<>();
			for (NDArray a : hf) byName.put(a.getName(), a);
			NDList out = new NDList();
			for (String tower : new String[] { "text", "vision" }) {
				String hfPrefix = tower + "_model.encoder.layers.";
				String ocPrefix = (tower.equals("vision") ? "visual." : "") + "transformer.resblocks.";
				for (int i = 0; i < 2; i++) {
					String h = hfPrefix + i + ".", o = ocPrefix + i + ".";
					for (String kind : new String[] { "weight", "bias" }) {
						out.add(named(NDArrays.concat(new NDList(byName.get(h + "self_attn.q_proj." + kind),
							byName.get(h + "self_attn.k_proj." + kind), byName.get(h + "self_attn.v_proj." + kind)), 0),
							o + "attn.in_proj_" + kind));
						out.add(named(byName.get(h + "self_attn.out_proj." + kind), o + "attn.out_proj." + kind));
						out.add(named(byName.get(h + "layer_norm1." + kind), o + "ln_1." + kind));
						out.add(named(byName.get(h + "layer_norm2." + kind), o + "ln_2." + kind));
						out.add(named(byName.get(h + "mlp.fc1." + kind), o + "mlp.c_fc." + kind));
						out.add(named(byName.get(h + "mlp.fc2." + kind), o + "mlp.c_proj." + kind));
					}
				}
			}
			out.add(named(byName.get("text_model.embeddings.token_embedding.weight"), "token_embedding.weight"));
			out.add(named(byName.get("text_model.embeddings.position_embedding.weight"), "positional_embedding"));
			out.add(named(byName.get("text_model.final_layer_norm.weight"), "ln_final.weight"));
			out.add(named(byName.get("text_model.final_layer_norm.bias"), "ln_final.bias"));
			out.add(named(transposed(byName.get("text_projection.weight")), "text_projection"));
			out.add(named(byName.get("logit_scale"), "logit_scale"));
			out.add(named(byName.get("vision_model.embeddings.patch_embedding.weight"), "visual.conv1.weight"));
			out.add(named(byName.get("vision_model.embeddings.class_embedding"), "visual.class_embedding"));
			out.add(named(byName.get("vision_model.embeddings.position_embedding.weight"), "visual.positional_embedding"));
			out.add(named(byName.get("vision_model.pre_layrnorm.weight"), "visual.ln_pre.weight"));
			out.add(named(byName.get("vision_model.pre_layrnorm.bias"), "visual.ln_pre.bias"));
			out.add(named(byName.get("vision_model.post_layernorm.weight"), "visual.ln_post.weight"));
			out.add(named(byName.get("vision_model.post_layernorm.bias"), "visual.ln_post.bias"));
			out.add(named(transposed(byName.get("visual_projection.weight")), "visual.proj"));
			out.add(named(manager.zeros(new ai.djl.ndarray.types.Shape(3)), "visual.unknown_extra"));
			assertEquals(2 * 2 * 12 + 14 + 1, out.size());
			try (OutputStream o = Files.newOutputStream(folder.resolve(ModelFiles.OPEN_CLIP_WEIGHTS))) {
				SafetensorsWriter.write(out, o);
			}
		}
		String config = "{\n"
			+ "  \"model_cfg\": {\n"
			+ "    \"embed_dim\": 24,\n"
			+ "    \"quick_gelu\": true,\n"
			+ "    \"vision_cfg\": {\"image_size\": 32, \"layers\": 2, \"width\": 48, \"head_width\": 12, \"mlp_ratio\": 2.0,"
			+ " \"patch_size\": 8},\n"
			+ "    \"text_cfg\": {\"context_length\": 77, \"vocab_size\": 49408, \"width\": 32, \"heads\": 4, \"layers\": 2,"
			+ " \"mlp_ratio\": 2.0}\n"
			+ "  },\n"
			+ "  \"preprocess_cfg\": {\"mean\": [0.48145466, 0.4578275, 0.40821073],"
			+ " \"std\": [0.26862954, 0.26130258, 0.27577711]}\n"
			+ "}\n";
		Files.write(folder.resolve(ModelFiles.OPEN_CLIP_CONFIG), config.getBytes(StandardCharsets.UTF_8));
		for (String name : ModelFiles.TOKENIZER_FILES) Files.copy(fixture.resolve(name), folder.resolve(name));
		return folder;
	}

	private static NDArray transposed(NDArray a) {
		return a.transpose().flatten().reshape(a.getShape().get(1), a.getShape().get(0));
	}

	private static NDArray named(NDArray a, String name) {
		a.setName(name);
		return a;
	}
}
