package sc.fiji.clip.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scijava.Context;
import org.scijava.command.CommandService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.fiji.ClipService;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.fiji.macro.MacroRunner;

/**
 * {@code fiji-clip macro FILE.ijm [ARG]}: runs an ImageJ macro headless with the Plugins › CLIP commands available,
 * for servers without Fiji. Tables the macro saves land where it says.
 */
@Command(name = "macro", description = "Run an ImageJ macro headless with the CLIP commands (run(\"Label Images...\", ...)).")
final class MacroCommand implements Callable<Integer> {

	@Parameters(index = "0", description = "The macro file (.ijm).")
	Path file;

	@Parameters(index = "1", arity = "0..1", description = "Argument passed to the macro (getArgument()).")
	String argument = "";

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() throws Exception {
		if (!Files.isRegularFile(file)) throw new ClipException("Macro file " + file + " does not exist.");
		HeadlessImageJ.boot();
		try (Context context = new Context(CommandService.class, ClipService.class)) {
			MacroRunner.Result result = new MacroRunner(context).runFile(file, argument);
			if (!result.success()) {
				spec.commandLine().getErr().println("fiji-clip: the macro " + file + " failed: " + result.describeError());
				return FijiClipCli.USER_ERROR;
			}
			if (result.returnValue() != null && !result.returnValue().isEmpty()) spec.commandLine().getOut().println(result.returnValue());
			return 0;
		}
	}
}
