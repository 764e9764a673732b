package sc.fiji.clip.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import sc.fiji.clip.io.AtomicFiles;

/** Where a command's CSV goes: a file named by {@code --out}, replaced only when complete, or standard output. */
final class TextOutput {

	/** Writes text into a writer. */
	interface Writing {
		void to(Writer writer) throws IOException;
	}

	private TextOutput() {}

	/**
	 * Runs {@code writing} into {@code out}, or into {@code stdout} when {@code out} is null; {@code onStdout} (may be
	 * null) hears of standard output first, e.g. to flush it as rows come.
	 */
	static void write(Path out, PrintWriter stdout, Writing writing, Consumer<PrintWriter> onStdout) {
		if (out != null) {
			AtomicFiles.write(out, stream -> {
				Writer writer = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
				writing.to(writer);
				writer.flush();
			});
			return;
		}
		if (onStdout != null) onStdout.accept(stdout);
		try {
			writing.to(stdout);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		stdout.flush();
	}
}
