package sc.fiji.clip.fiji;

import org.scijava.Context;
import org.scijava.command.CommandService;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.fiji.macro.MacroCommandBridge;
import sc.fiji.clip.fiji.macro.MacroRunner;

/**
 * Headless ImageJ 1 with the CLIP commands behind its macro {@code run(...)}, in strict mode: every line must give
 * every input as {@code key=value}, as Fiji's Recorder writes it. What the macro tests of the Fiji commands share.
 */
final class StrictMacroSession implements AutoCloseable {

	private final Context context;
	private final MacroRunner runner;

	private StrictMacroSession() {
		HeadlessImageJ.boot();
		context = new Context(CommandService.class);
		runner = new MacroRunner(context);
		MacroCommandBridge.setStrict(true);
	}

	static StrictMacroSession start() {
		return new StrictMacroSession();
	}

	MacroRunner runner() {
		return runner;
	}

	@Override
	public void close() {
		MacroCommandBridge.setStrict(false);
		MacroCommandBridge.uninstall(context);
		context.dispose();
	}
}
