package sc.fiji.clip.cli;

import ai.djl.Device;
import picocli.CommandLine.Option;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.engine.DeviceChoice;

/** Options every sub-command takes: device, threads and debug output. */
final class CommonOptions {

	@Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE}).")
	String device;

	@Option(names = "--threads", defaultValue = "0",
		description = "CPU threads for libtorch; 0 = one per core (default: ${DEFAULT-VALUE}).")
	int threads;

	@Option(names = "--debug", description = "Print stack traces of errors.")
	boolean debug;

	/** Applies the thread count, starts the engine and resolves the device. */
	Device start() {
		ClipEngine.setThreads(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
		return DeviceChoice.parse(device).resolve();
	}

	DeviceChoice deviceChoice() {
		return DeviceChoice.parse(device);
	}
}
