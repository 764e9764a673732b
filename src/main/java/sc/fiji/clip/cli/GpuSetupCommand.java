package sc.fiji.clip.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.GpuSetup;
import sc.fiji.clip.engine.LibtorchChoice;
import sc.fiji.clip.engine.SetupProgress;

/**
 * {@code fiji-clip gpu-setup}: downloads, once and only when run, the CUDA libtorch matching the engine into DJL's
 * cache, where later runs pick it when a CUDA GPU is visible. Progress goes to standard error; where it went and
 * what the next start will load to standard output.
 */
@Command(name = "gpu-setup", description = "Download the CUDA build of libtorch once (needs the internet), for GPU runs.")
final class GpuSetupCommand implements Callable<Integer> {

	@Option(names = "--flavor", paramLabel = "cuNNN",
		description = "CUDA flavour (default: PYTORCH_FLAVOR if it is one, else " + LibtorchChoice.CUDA_FLAVOR + ").")
	String flavor;

	@Option(names = "--url", paramLabel = "URL", description = "Where to download from: a mirror of "
		+ GpuSetup.DEFAULT_URL + " (http, https or file:); default: " + GpuSetup.URL_SETTING + " or that site.")
	String url;

	@Option(names = "--dry-run", description = "List the files, their sizes and the target folder; download nothing.")
	boolean dryRun;

	@Option(names = "--debug", description = "Print stack traces of errors.")
	boolean debug;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter out = spec.commandLine().getOut();
		TerminalProgress line = new TerminalProgress(spec.commandLine().getErr());
		GpuSetup setup = GpuSetup.defaults(url);
		String f = flavor != null ? flavor.trim().toLowerCase(Locale.ROOT) : GpuSetup.defaultFlavor();
		SetupProgress progress = new SetupProgress() {
			@Override
			public void message(String text) {
				line.println(text);
			}

			@Override
			public void download(long done, long total, String file) {
				line.update("gpu-setup: " + GpuSetup.size(done) + (total > 0 ? String.format(Locale.ROOT, " of %s (%.0f%%)",
					GpuSetup.size(total), 100.0 * done / total) : "") + ", " + file);
			}
		};
		if (dryRun) {
			GpuSetup.Plan plan = setup.plan(f, progress);
			plan.lines().forEach(out::println);
			out.println(setup.isSetUp(f) ? "Already set up: nothing would be downloaded." : "Nothing was downloaded (--dry-run).");
			return 0;
		}
		GpuSetup.Result result = setup.install(f, progress);
		out.println(result.alreadySetUp() ? "libtorch " + setup.build().version() + " " + result.flavor() + " was already set up in "
			+ result.folder() + "." : "libtorch " + setup.build().version() + " " + result.flavor() + " set up in " + result.folder()
				+ " (" + result.files() + " files, " + GpuSetup.size(result.bytes()) + " downloaded).");
		try {
			LibtorchChoice next = setup.nextChoice();
			out.println("Next start loads libtorch " + next.describe(setup.build().version(), next.folder() != null
				? next.folder().toString() : null) + ": " + next.reason() + ".");
		} catch (ClipException e) {
			out.println("Next start: " + e.getMessage());
		}
		out.println("'./fiji-clip info' shows the libtorch and device in use.");
		return 0;
	}
}
