package sc.fiji.clip.fiji.macro;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;

/** Test command: creates an image as its output. */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Test>Make Image")
public class MakeImageCommand implements Command {

	@Parameter(persist = false)
	private String title = "made";

	@Parameter(persist = false, min = "1")
	private int size = 16;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus made;

	@Override
	public void run() {
		made = IJ.createImage(title, "8-bit black", size, size, 1);
	}
}
