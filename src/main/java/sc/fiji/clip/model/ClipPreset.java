package sc.fiji.clip.model;

import java.util.Locale;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.text.ByteTokenizer;

/**
 * Ready-made sizes for models trained from scratch with the byte tokenizer.
 * <ul>
 * <li>{@code tiny}: a few thousand parameters, for tests: a training step takes milliseconds.</li>
 * <li>{@code seed}: the sizes of the from-scratch CLIP this project started from (vision 9 wide, 3 heads, 3 layers,
 * 128 px in 64 px patches; text 32 wide, 8 heads, 4 layers, 32 tokens; embedding 32).</li>
 * <li>{@code small}: the default for a lab's folder: 32 px images in 8 px patches, 4 layers of 64 (text: 2 layers);
 * trained from scratch on Fashion-MNIST (13 epochs, learning rate 3e-3, a weight average) it labels the test set
 * zero-shot at 89.9-90.2 % (3 seeds) after 6-10 minutes on 2 cores.</li>
 * <li>{@code medium}: twice the resolution and width of {@code small} (64 px in 8 px patches, 4 layers of 128, text
 * 4 layers); about ten times slower to train, for images whose detail needs it.</li>
 * <li>{@code demo}: the embedded demo's size, 32 px images in 8 px patches, 2 layers of 64: trains on coloured
 * shapes in about a minute on 2 cores.</li>
 * </ul>
 */
public enum ClipPreset {
	TINY(16, 8, 8, 2, 1, 8, 2, 1, 32, 8),
	SEED(128, 64, 9, 3, 3, 32, 8, 4, 32, 32),
	SMALL(32, 8, 64, 4, 4, 64, 4, 2, 32, 64),
	MEDIUM(64, 8, 128, 4, 4, 128, 4, 4, 32, 128),
	DEMO(32, 8, 64, 4, 2, 64, 4, 2, 32, 64);

	private final int imageSize, patchSize, visionWidth, visionHeads, visionLayers;
	private final int textWidth, textHeads, textLayers, contextLength, projection;

	ClipPreset(int imageSize, int patchSize, int visionWidth, int visionHeads, int visionLayers, int textWidth,
		int textHeads, int textLayers, int contextLength, int projection)
	{
		this.imageSize = imageSize;
		this.patchSize = patchSize;
		this.visionWidth = visionWidth;
		this.visionHeads = visionHeads;
		this.visionLayers = visionLayers;
		this.textWidth = textWidth;
		this.textHeads = textHeads;
		this.textLayers = textLayers;
		this.contextLength = contextLength;
		this.projection = projection;
	}

	/** Parses a preset name, listing the choices when it is unknown. */
	public static ClipPreset parse(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new ClipException("Unknown preset '" + name + "': use tiny, seed, demo, small or medium.");
		}
	}

	/** A fresh config of this size with the byte tokenizer's vocabulary and special tokens. */
	public ClipConfig config() {
		ClipConfig c = new ClipConfig();
		ByteTokenizer tokens = new ByteTokenizer(contextLength);
		TextConfig t = c.text_config;
		t.hidden_size = textWidth;
		t.intermediate_size = 4 * textWidth;
		t.num_attention_heads = textHeads;
		t.num_hidden_layers = textLayers;
		t.max_position_embeddings = contextLength;
		t.vocab_size = tokens.vocabularySize();
		t.bos_token_id = tokens.startId();
		t.eos_token_id = tokens.endId();
		t.pad_token_id = tokens.padId();
		VisionConfig v = c.vision_config;
		v.hidden_size = visionWidth;
		v.intermediate_size = 4 * visionWidth;
		v.num_attention_heads = visionHeads;
		v.num_hidden_layers = visionLayers;
		v.image_size = imageSize;
		v.patch_size = patchSize;
		c.projection_dim = projection;
		t.projection_dim = projection;
		v.projection_dim = projection;
		c.fiji_clip.tokenizer = FijiClipInfo.BYTE_TOKENIZER;
		return c;
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
