package sc.fiji.clip.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.FijiClipInfo;

/** open_clip configs and names map to Hugging Face's with open_clip's defaults. */
class OpenClipConfigTest {

	private static final String VIT_B_32 = "{\"model_cfg\": {\"embed_dim\": 512, \"vision_cfg\": {\"image_size\": 224,"
		+ " \"layers\": 12, \"width\": 768, \"patch_size\": 32}, \"text_cfg\": {\"context_length\": 77, \"vocab_size\": 49408,"
		+ " \"width\": 512, \"heads\": 8, \"layers\": 12}}, \"preprocess_cfg\": {\"mean\": [0.5, 0.5, 0.5], \"std\": 0.25}}";

	@Test
	void defaultsFollowOpenClip() {
		ClipConfig c = OpenClipConfig.fromJson(VIT_B_32, "test");
		assertEquals(12, c.vision_config.num_attention_heads); // 768 / head_width 64
		assertEquals(3072, c.vision_config.intermediate_size);
		assertEquals(2048, c.text_config.intermediate_size);
		assertEquals(32, c.vision_config.patch_size);
		assertEquals(512, c.projection_dim);
		assertEquals("gelu", c.vision_config.hidden_act);
		assertEquals("gelu", c.text_config.hidden_act);
		assertEquals(FijiClipInfo.BPE_TOKENIZER, c.fiji_clip.tokenizer);
		assertEquals(0.5, c.fiji_clip.image_mean[2]);
		assertEquals(0.25, c.fiji_clip.image_std[0]);
	}

	@Test
	void quickGeluFromFlagOrName() {
		String flagged = VIT_B_32.replace("\"embed_dim\": 512,", "\"embed_dim\": 512, \"quick_gelu\": true,");
		assertEquals("quick_gelu", OpenClipConfig.fromJson(flagged, "test").text_config.hidden_act);
		String named = "{\"model_name\": \"ViT-B-32-quickgelu\"," + VIT_B_32.substring(1);
		assertEquals("quick_gelu", OpenClipConfig.fromJson(named, "test").vision_config.hidden_act);
	}

	@Test
	void unsupportedTowersAreRefused() {
		String resnet = VIT_B_32.replace("\"layers\": 12, \"width\": 768", "\"layers\": [3, 4, 6, 3], \"width\": 64");
		ClipException e = assertThrows(ClipException.class, () -> OpenClipConfig.fromJson(resnet, "cfg.json"));
		assertTrue(e.getMessage().contains("ResNet"), e.getMessage());
		String layerScale = VIT_B_32.replace("\"patch_size\": 32", "\"patch_size\": 32, \"ls_init_value\": 0.1");
		assertThrows(ClipException.class, () -> OpenClipConfig.fromJson(layerScale, "cfg.json"));
		assertThrows(ClipException.class, () -> OpenClipConfig.fromJson("{\"model_cfg\": {}}", "cfg.json"));
	}

	@Test
	void namesMapToHuggingFace() {
		assertEquals("vision_model.encoder.layers.3.mlp.fc1.bias",
			OpenClipNames.huggingFaceName("visual.transformer.resblocks.3.mlp.c_fc.bias"));
		assertEquals("text_model.encoder.layers.11.layer_norm2.weight",
			OpenClipNames.huggingFaceName("transformer.resblocks.11.ln_2.weight"));
		assertEquals("vision_model.pre_layrnorm.bias", OpenClipNames.huggingFaceName("visual.ln_pre.bias"));
		assertEquals("visual_projection.weight", OpenClipNames.huggingFaceName("visual.proj"));
		assertEquals("text_model.embeddings.position_embedding.weight",
			OpenClipNames.huggingFaceName("positional_embedding"));
		assertNull(OpenClipNames.huggingFaceName("transformer.resblocks.0.attn.in_proj_weight"));
		assertNull(OpenClipNames.huggingFaceName("attn_mask"));
	}
}
