package sc.fiji.clip.fiji.macro;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Test command whose label ImageJ 1 already has: the bridge must leave ImageJ 1's "Invert" alone. */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Test>Invert")
public class ShadowingInvertCommand implements Command {

	@Override
	public void run() {
		throw new AssertionError("ImageJ 1's Invert should have run");
	}
}
