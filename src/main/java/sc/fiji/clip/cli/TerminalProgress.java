package sc.fiji.clip.cli;

import java.io.PrintWriter;

/**
 * A progress line on standard error that rewrites itself ({@code \r}) on a terminal and prints at most one line
 * every few seconds when redirected to a file or pipe, with messages printed above it.
 */
final class TerminalProgress {

	private static final long PIPE_INTERVAL_NS = 5_000_000_000L;

	private final PrintWriter err;
	private final boolean terminal = System.console() != null;
	private String current = "";
	private long lastPrinted;

	TerminalProgress(PrintWriter err) {
		this.err = err;
	}

	synchronized void update(String line) {
		if (terminal) {
			err.print("\r" + line + (line.length() < current.length() ? " ".repeat(current.length() - line.length()) : ""));
			err.flush();
			current = line;
		} else if (System.nanoTime() - lastPrinted > PIPE_INTERVAL_NS) {
			err.println(line);
			lastPrinted = System.nanoTime();
		}
	}

	synchronized void println(String message) {
		if (terminal && !current.isEmpty()) err.print("\r" + " ".repeat(current.length()) + "\r");
		err.println(message);
		current = "";
		err.flush();
	}
}
