package sc.fiji.clip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: its exit code, standard output and standard error, for tests. */
final class CliRun {

	final int code;
	final String out, err;

	private CliRun(int code, String out, String err) {
		this.code = code;
		this.out = out;
		this.err = err;
	}

	/** Runs {@code fiji-clip args...} and captures what it printed. */
	static CliRun of(String... args) {
		StringWriter out = new StringWriter(), err = new StringWriter();
		int code = FijiClipCli.run(new PrintWriter(out), new PrintWriter(err), args);
		return new CliRun(code, out.toString(), err.toString());
	}

	@Override
	public String toString() {
		return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err;
	}
}
