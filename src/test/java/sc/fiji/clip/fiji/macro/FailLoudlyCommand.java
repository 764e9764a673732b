package sc.fiji.clip.fiji.macro;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** Test command: fails with a nested exception. */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Test>Fail Loudly")
public class FailLoudlyCommand implements Command {

	@Parameter(persist = false, required = false)
	private String model = "/models/clip.zip";

	@Override
	public void run() {
		throw new IllegalStateException("the model file " + model + " is corrupt",
				new UncheckedIOException(new IOException("unexpected end of ZIP archive")));
	}
}
