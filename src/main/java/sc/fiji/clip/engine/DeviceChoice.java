package sc.fiji.clip.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import sc.fiji.clip.ClipException;

/** Where tensors live: a CUDA GPU when there is one ({@code auto}), or what the user asked for. */
public enum DeviceChoice {
	AUTO, CPU, GPU;

	/** Parses {@code auto}, {@code cpu} or {@code gpu} (any case), naming the parameter in the error. */
	public static DeviceChoice parse(String text) {
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		} catch (IllegalArgumentException | NullPointerException e) {
			throw new ClipException("Unknown device '" + text + "': use auto, cpu or gpu.");
		}
	}

	/** The DJL device to use; {@code gpu} without a visible CUDA GPU is a clear error. */
	public Device resolve() {
		int gpus = ClipEngine.get().getGpuCount();
		switch (this) {
			case CPU:
				return Device.cpu();
			case GPU:
				if (gpus == 0) {
					throw new ClipException("--device gpu was asked for, but the PyTorch engine sees no CUDA GPU (libtorch "
						+ ClipEngine.libtorchDescription() + "). Use --device cpu or auto, or set up a CUDA libtorch: "
						+ "./fiji-clip gpu-setup or Plugins>CLIP>Set Up GPU... (downloads it once), or "
						+ LibtorchChoice.LIBRARY_PATH + " (see README, 'GPU').");
				}
				return Device.gpu(0);
			default:
				return gpus > 0 ? Device.gpu(0) : Device.cpu();
		}
	}

	/** Why {@link #resolve()} chose what it chose, for logs and {@code info}. */
	public String explain() {
		int gpus = ClipEngine.get().getGpuCount();
		switch (this) {
			case CPU:
				return "cpu (asked for)";
			case GPU:
				return gpus > 0 ? "gpu(0) (asked for)" : "no GPU visible";
			default:
				if (gpus > 0) return "gpu(0) (auto: " + gpus + " CUDA GPU(s) visible)";
				return LibtorchChoice.cudaGpuCount() > 0 ? "cpu (auto: the libtorch in use is a CPU build)"
					: "cpu (auto: no CUDA GPU visible)";
		}
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
