package sc.fiji.clip.io;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.stream.Stream;
import sc.fiji.clip.ClipException;

/**
 * What makes two loads of a model the same: the model's real path (links resolved), the version of its contents
 * (modification time and size; for a folder the newest time and the total size of the files directly in it) and
 * the device. A file written again gets a new key.
 */
final class ModelKey {

	final Path path;
	final long modified, size;
	final Device device;

	private ModelKey(Path path, long modified, long size, Device device) {
		this.path = path;
		this.modified = modified;
		this.size = size;
		this.device = device;
	}

	/** The key of {@code model} as it is on disk now. */
	static ModelKey of(Path model, Device device) {
		Objects.requireNonNull(device, "device");
		if (!Files.exists(model)) {
			throw new ClipException("Model " + model + " does not exist. Give a model .zip made by Fiji CLIP (train or "
				+ "import) or a Hugging Face CLIP folder.");
		}
		try {
			Path real = model.toRealPath();
			BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
			if (!a.isDirectory()) return new ModelKey(real, a.lastModifiedTime().toMillis(), a.size(), device);
			long modified = a.lastModifiedTime().toMillis(), size = 0;
			try (Stream<Path> files = Files.list(real)) {
				for (Path f : (Iterable<Path>) files::iterator) {
					BasicFileAttributes fa = Files.readAttributes(f, BasicFileAttributes.class);
					if (!fa.isRegularFile()) continue;
					modified = Math.max(modified, fa.lastModifiedTime().toMillis());
					size += fa.size();
				}
			}
			return new ModelKey(real, modified, size, device);
		} catch (IOException e) {
			throw new ClipException("Cannot read model " + model + ": " + e.getMessage(), e);
		}
	}

	/** Whether {@code other} is the same file on the same device, whatever its version. */
	boolean sameModel(ModelKey other) {
		return path.equals(other.path) && device.equals(other.device);
	}

	@Override
	public boolean equals(Object o) {
		if (!(o instanceof ModelKey)) return false;
		ModelKey k = (ModelKey) o;
		return sameModel(k) && modified == k.modified && size == k.size;
	}

	@Override
	public int hashCode() {
		return Objects.hash(path, device, modified, size);
	}

	@Override
	public String toString() {
		return path + " on " + device;
	}
}
