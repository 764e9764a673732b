package sc.fiji.clip.train;

import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sc.fiji.clip.model.ClipConfig;

/**
 * Which tensors a fine-tuning leaves alone: the whole image tower ({@code --lock-image}, LiT's locked image
 * tower), the whole text tower ({@code --lock-text}), or with {@code --unlock-last N} all of a locked tower but its
 * last {@code N} encoder layers, its final layer norm and its projection (open_clip's {@code unlocked_groups}, counted
 * in layers). The temperature always trains.
 */
final class TowerLock implements Predicate<String> {

	private static final Pattern LAYER = Pattern.compile("^(?:vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.");

	private final boolean image, text;
	private final int unlockLast, imageLayers, textLayers;

	TowerLock(boolean image, boolean text, int unlockLast, ClipConfig config) {
		this.image = image;
		this.text = text;
		this.unlockLast = unlockLast;
		imageLayers = config.vision_config.num_hidden_layers;
		textLayers = config.text_config.num_hidden_layers;
	}

	/** Whether anything is locked. */
	boolean any() {
		return image || text;
	}

	/** Whether the tensor belongs to the image tower (encoder and projection). */
	static boolean imageTower(String name) {
		return name.startsWith("vision_model.") || name.startsWith("visual_projection.");
	}

	@Override
	public boolean test(String name) {
		boolean vision = imageTower(name);
		boolean words = name.startsWith("text_model.") || name.startsWith("text_projection.");
		if (vision && image) return !unlocked(name, imageLayers);
		if (words && text) return !unlocked(name, textLayers);
		return false;
	}

	private boolean unlocked(String name, int layers) {
		if (unlockLast <= 0) return false;
		Matcher m = LAYER.matcher(name);
		if (m.find()) return Integer.parseInt(m.group(1)) >= layers - unlockLast;
		return name.contains("post_layernorm") || name.contains("final_layer_norm") || name.contains("_projection.");
	}
}
