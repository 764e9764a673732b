package sc.fiji.clip.fiji.macro;

import java.io.File;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;

/** Test command: writes the values it received into the standard Results table. */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Test>Echo Values...")
public class EchoValuesCommand implements Command {

	public enum Mode { FAST, CAREFUL }

	@Parameter(persist = false)
	private String text;

	@Parameter(persist = false)
	private int count;

	@Parameter // remembered, as SciJava remembers inputs by default
	private double scale = 1.5;

	@Parameter
	private boolean flag;

	@Parameter(persist = false, required = false)
	private File file;

	@Parameter(persist = false)
	private ImagePlus image;

	@Parameter(persist = false, choices = { "nearest", "bilinear" })
	private String method = "nearest";

	@Parameter(persist = false)
	private Mode mode = Mode.FAST;

	@Override
	public void run() {
		ResultsTable rt = ResultsTable.getResultsTable();
		rt.incrementCounter();
		rt.addValue("text", text);
		rt.addValue("count", count);
		rt.addValue("scale", scale);
		rt.addValue("flag", flag ? 1 : 0);
		rt.addValue("file", file == null ? "" : file.getPath());
		rt.addValue("image", image.getTitle());
		rt.addValue("method", method);
		rt.addValue("mode", mode.name());
		rt.show("Results");
		IJ.log("echoed " + text);
	}
}
