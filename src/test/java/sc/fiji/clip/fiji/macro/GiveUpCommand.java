package sc.fiji.clip.fiji.macro;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Plugin;

/** Test command: cancels itself with a reason. */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Test>Give Up")
public class GiveUpCommand extends ContextCommand {

	@Override
	public void run() {
		cancel("no labels were given");
	}
}
