package sc.fiji.clip.spark;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;
import sc.fiji.clip.cli.FijiClipCli;

/**
 * {@code fiji-clip spark-label} and {@code spark-embed}, or {@code spark-submit --class sc.fiji.clip.spark.SparkCli
 * fiji-clip-spark-job.jar label|embed ...}: the same options on one machine ({@code --master local[N]}) and on a
 * cluster.
 */
@Command(name = "fiji-clip-spark", mixinStandardHelpOptions = true, subcommands = { SparkLabelCommand.class,
	SparkEmbedCommand.class }, description = "Label or embed image files on Apache Spark with a Fiji CLIP model.")
public final class SparkCli {

	static final int USER_ERROR = FijiClipCli.USER_ERROR;

	public static void main(String[] args) {
		System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
	}

	/** Runs a command and returns its exit code, with the command line's error rules (for tests: no exit). */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		return FijiClipCli.execute(new CommandLine(new SparkCli()), "fiji-clip spark", out, err, args);
	}
}
