package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.color.ColorStep;
import sc.fiji.clip.imagej.ColorFiles;
import sc.fiji.clip.io.ModelLease;

/**
 * Plugins › CLIP › Color from Text…: finds the colour (or palette, or small image) whose CLIP image embedding best
 * matches each prompt; shows the swatch titled with the prompt and hex, the progression as a stack, and the steps
 * as a table. A thin shell over {@link ColorOptimizer}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Color from Text...")
public class ColorFromTextCommand extends ContextCommand {

	static final String TABLE = "CLIP Colors";
	private static final int SWATCH = 256;

	@Parameter(label = "Model (.zip or folder)", style = "both")
	private File model;

	@Parameter(label = "Prompts ('|'-separated)", persist = false)
	private String prompts = "the color of a banana";

	@Parameter(label = "Steps", min = "1")
	private int steps = ColorOptions.DEFAULT_STEPS;

	@Parameter(label = "Palette size", min = "1")
	private int colors = 1;

	@Parameter(label = "Image size (1 = a single colour)", min = "1")
	private int size = 1;

	@Parameter(label = "Device", choices = { "auto", "cpu", "gpu" })
	private String device = "auto";

	@Parameter(label = "Also fill the Results table")
	private boolean results = false;

	/** Keeps models loaded between runs; absent in a bare context (then the model loads for this run only). */
	@Parameter(required = false)
	private ClipService service;

	@Override
	public void run() {
		List<String> list = new ArrayList<>();
		for (String p : prompts.split("\\|")) if (!p.isBlank()) list.add(p.trim());
		if (list.isEmpty()) throw new ClipException("Color from Text: give at least one prompt (prompts=[the color of a banana]).");
		ColorOptions options = ColorOptions.builder().steps(steps).colors(colors).size(size).build();
		List<ColorResult> found = DjlInFiji.call(() -> {
			try (ModelLease lease = DefaultClipService.lease(service, model, device)) {
				return new ColorOptimizer(lease.model()).optimize(list, options, new ImageJProgress(this::isCanceled));
			}
		});
		IJ.showProgress(1.0);
		ResultsTable table = new ResultsTable();
		for (ColorResult r : found) {
			IJ.log(String.format("%s: %s (R %d, G %d, B %d), similarity %.4f", r.prompt(), r.color().hex(), r.color().red(),
				r.color().green(), r.color().blue(), r.similarity()));
			if (!Tables.headless()) {
				new ImagePlus(r.prompt() + " " + r.color().hex(), ColorFiles.swatch(r.bestFrame(), SWATCH)).show();
				new ImagePlus(r.prompt() + " progression", ColorFiles.progression(r)).show();
			}
			for (ColorStep s : r.steps()) {
				table.incrementCounter();
				table.addValue("prompt", r.prompt());
				table.addValue("step", s.step());
				table.addValue("index", s.index());
				table.addValue("r", s.color().red());
				table.addValue("g", s.color().green());
				table.addValue("b", s.color().blue());
				table.addValue("hex", s.color().hex());
				table.addValue("similarity", s.similarity());
			}
		}
		Tables.publish(table, TABLE, results);
	}
}
