package sc.fiji.clip.fiji.macro;

import org.scijava.command.Command;
import org.scijava.plugin.Plugin;

/** Test command outside the bridge's menu root. */
@Plugin(type = Command.class, menuPath = "Plugins>Elsewhere>Outside Root")
public class OutsideRootCommand implements Command {

	@Override
	public void run() {}
}
