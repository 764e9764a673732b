package sc.fiji.clip.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.ClipEngine;

/**
 * The {@code fiji-clip} command line: the same UI-free core the Fiji commands use, for terminals, scripts and
 * servers. User errors print their message alone (exit code 2); unexpected failures print one line and, with
 * {@code --debug}, the stack trace (exit code 3).
 */
@Command(name = "fiji-clip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
	description = "CLIP for Fiji: train on your images and captions, label images zero-shot, turn text into colours.",
	subcommands = { DemoCommand.class, TrainCommand.class, LabelCommand.class, AdaptCommand.class, EvaluateCommand.class,
		IndexCommand.class, SearchCommand.class, EmbedCommand.class,
		ColorCommand.class, ImportCommand.class,
		InfoCommand.class, GpuSetupCommand.class, MacroCommand.class, CommandLine.HelpCommand.class })
public final class FijiClipCli {

	public static final int USER_ERROR = 2;
	public static final int INTERNAL_ERROR = 3;

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs the command line and returns the exit code (for tests: no {@code System.exit}). */
	public static int run(String... args) {
		return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
	}

	/** Runs with the given output and error streams. */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		ClipEngine.configureOffline();
		return execute(new CommandLine(new FijiClipCli()), "fiji-clip", out, err, args);
	}

	/**
	 * Runs {@code cli} with this command line's error rules, each message prefixed by {@code name}: a
	 * {@link ClipException} anywhere in the cause chain prints its message alone ({@link #USER_ERROR}), anything else
	 * one line ({@link #INTERNAL_ERROR}); {@code --debug} adds the stack trace. The Spark job's command line uses it.
	 */
	public static int execute(CommandLine cli, String name, PrintWriter out, PrintWriter err, String... args) {
		boolean debug = java.util.Arrays.asList(args).contains("--debug");
		cli.setOut(out);
		cli.setErr(err);
		cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
			Throwable cause = e;
			while (!(cause instanceof ClipException) && cause.getCause() != null && cause.getCause() != cause) {
				cause = cause.getCause();
			}
			if (cause instanceof ClipException) {
				err.println(name + ": " + cause.getMessage());
				if (debug) e.printStackTrace(err);
				return USER_ERROR;
			}
			err.println(name + ": unexpected error: " + e + ". Run again with --debug for details and report it.");
			if (debug) e.printStackTrace(err);
			return INTERNAL_ERROR;
		});
		cli.setParameterExceptionHandler((e, a) -> {
			err.println(name + ": " + e.getMessage());
			e.getCommandLine().usage(err);
			return USER_ERROR;
		});
		int code = cli.execute(args);
		out.flush();
		err.flush();
		return code;
	}
}
