package sc.fiji.clip.model;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What identifies a model's embeddings: the SHA-256 of its weights (names, shapes and little-endian values, in name
 * order) and its image size. The same weights give the same fingerprint from a Fiji CLIP .zip or a Hugging Face
 * folder; a fine-tuned model gets another, so embeddings of two models are never mixed.
 */
public final class WeightsFingerprint {

	/**
	 * Fingerprints of the weights of models still in use, with the {@link ClipWeights#generation} they were taken at:
	 * hashing a ViT-B/32's 600 MB is paid once per loaded model (Fiji keeps models loaded), not once per search.
	 */
	private static final Map<ClipWeights, Object[]> MEMO = new java.util.WeakHashMap<>();

	private WeightsFingerprint() {}

	/** The fingerprint of {@code model}, 64 hexadecimal digits. */
	public static String of(ClipModel model) {
		ClipWeights weights = model.weights();
		synchronized (MEMO) {
			Object[] known = MEMO.get(weights);
			if (known != null && (long) known[0] == weights.generation() && !weights.isTrainable()) return (String) known[1];
		}
		long generation = weights.generation();
		String fingerprint = compute(model);
		if (!weights.isTrainable()) {
			synchronized (MEMO) {
				MEMO.put(weights, new Object[] { generation, fingerprint });
			}
		}
		return fingerprint;
	}

	private static String compute(ClipModel model) {
		MessageDigest sha;
		try {
			sha = MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
		sha.update(("image_size=" + model.imageSize() + "\n").getBytes(StandardCharsets.UTF_8));
		Map<String, NDArray> weights = model.weights().byName();
		List<String> names = new ArrayList<>(weights.keySet());
		names.sort(null);
		for (String name : names) {
			NDArray w = weights.get(name);
			sha.update((name + " " + w.getDataType() + " " + w.getShape() + "\n").getBytes(StandardCharsets.UTF_8));
			ByteBuffer bytes = w.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
			sha.update(bytes);
		}
		StringBuilder hex = new StringBuilder();
		for (byte b : sha.digest()) hex.append(String.format("%02x", b & 0xff));
		return hex.toString();
	}
}
