package sc.fiji.clip.fiji;

import ij.IJ;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.engine.GpuSetup;
import sc.fiji.clip.engine.LibtorchChoice;

/**
 * Plugins › CLIP › Set Up GPU…: downloads, once and only when run, the CUDA libtorch matching the engine into DJL's
 * cache (progress bar, Esc stops it), says in the Log where it went and whether it will be used. A thin shell over
 * {@link GpuSetup}; {@code ./fiji-clip gpu-setup} does the same from a terminal.
 */
@Plugin(type = Command.class, menuPath = "Plugins>CLIP>Set Up GPU...")
public class SetUpGpuCommand extends ContextCommand {

	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false)
	private String help = "Downloads PyTorch's CUDA libtorch (several GB, needs the internet once) into DJL's cache; "
		+ "CLIP commands use it when a CUDA GPU is visible.";

	@Parameter(label = "CUDA flavour", persist = false)
	private String flavor = GpuSetup.defaultFlavor();

	@Parameter(label = "Download from (blank: publish.djl.ai)", required = false, persist = false)
	private String url = "";

	@Parameter(label = "Only list the files (download nothing)", required = false, persist = false)
	private boolean dryrun = false;

	@Override
	public void run() {
		ImageJProgress progress = new ImageJProgress(this::isCanceled);
		String f = flavor == null || flavor.isBlank() ? GpuSetup.defaultFlavor() : flavor.trim();
		DjlInFiji.call(() -> {
			GpuSetup setup = GpuSetup.defaults(url);
			if (dryrun) {
				GpuSetup.Plan plan = setup.plan(f, progress);
				IJ.log("CLIP GPU set-up, dry run (nothing downloaded):");
				plan.lines().forEach(IJ::log);
				return null;
			}
			GpuSetup.Result result = setup.install(f, progress);
			IJ.showProgress(1.0);
			IJ.showStatus("CLIP: libtorch " + result.flavor() + " set up");
			if (!result.alreadySetUp()) {
				IJ.log("CLIP: " + result.files() + " files, " + GpuSetup.size(result.bytes()) + " downloaded.");
			}
			try {
				LibtorchChoice next = setup.nextChoice();
				String what = next.describe(setup.build().version(), next.folder() != null ? next.folder().toString() : null);
				if (ClipEngine.isStarted()) {
					IJ.log("CLIP: the engine is running on libtorch " + ClipEngine.libtorchWhat() + "; after a restart of Fiji it "
						+ "loads " + what + ": " + next.reason() + ".");
				} else {
					IJ.log("CLIP: the next CLIP command loads libtorch " + what + ": " + next.reason() + ".");
				}
			} catch (ClipException e) {
				IJ.log("CLIP: " + e.getMessage());
			}
			return null;
		});
	}
}
