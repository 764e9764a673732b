package sc.fiji.clip.fiji.macro;

import java.io.File;
import java.nio.file.Path;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.Button;

/** Test command, in no menu: one parameter of each shape a dialog has to handle or leave out. */
@Plugin(type = Command.class)
public class DialogShapesCommand implements Command {

	@Parameter
	private CommandService commands;

	@Parameter
	private Context context;

	@Parameter(visibility = ItemVisibility.MESSAGE)
	private String note = "Read me first.";

	@Parameter(visibility = ItemVisibility.INVISIBLE)
	private String hidden = "x";

	@Parameter(label = "Press")
	private Button press;

	@Parameter(label = "Ratio <a & b>", description = "How a compares to b.", min = "0", max = "1")
	private float ratio = 0.1f;

	@Parameter(style = "password", required = false)
	private String secret;

	@Parameter(style = "open")
	private Path input;

	@Parameter(style = "directory")
	private File dir;

	@Parameter
	private long big = 5_000_000_000L;

	@Parameter(required = false)
	private Boolean boxed;

	@Override
	public void run() {}
}
