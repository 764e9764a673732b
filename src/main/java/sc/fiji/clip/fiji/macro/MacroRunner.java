package sc.fiji.clip.fiji.macro;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.scijava.Context;

import ij.Macro;
import ij.io.OpenDialog;
import ij.macro.Interpreter;

/**
 * Runs ImageJ 1 macros headless with this project's SciJava commands available to {@code run(...)}: what the command
 * line's {@code fiji-clip macro FILE.ijm [ARG]} and the tests share.
 * <p>
 * The constructor boots headless ImageJ 1 ({@link HeadlessImageJ#boot()}) and installs the
 * {@link MacroCommandBridge} for the context's commands. Macros run one at a time on the calling thread, in batch
 * mode, with the ImageJ 1 interpreter; file paths in a macro ({@code saveAs("Results", path)}, {@code open(path)})
 * mean what they mean to ImageJ: absolute, or relative to the JVM's working directory. The caller keeps and disposes
 * the context.
 */
public final class MacroRunner {

	private static final Object LOCK = new Object();

	public MacroRunner(Context context) {
		this(context, MacroCommandBridge.DEFAULT_MENU_ROOT);
	}

	public MacroRunner(Context context, String menuRoot) {
		HeadlessImageJ.boot();
		MacroCommandBridge.install(context, menuRoot);
	}

	/** Runs the macro in {@code file} (UTF-8); {@code arg} is what the macro's {@code getArgument()} returns. */
	public Result runFile(Path file, String arg) throws IOException {
		String macro = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
		File f = file.toAbsolutePath().toFile();
		synchronized (LOCK) {
			// as ImageJ's Macro_Runner does, for File.directory / getDirectory("file")
			OpenDialog.setLastDirectory(f.getParent() + File.separator);
			OpenDialog.setLastName(f.getName());
			return run(macro, arg);
		}
	}

	/** Runs macro code; {@code arg} ({@code null} for none) is what the macro's {@code getArgument()} returns. */
	public Result run(String macro, String arg) {
		synchronized (LOCK) {
			Thread thread = Thread.currentThread();
			String threadName = thread.getName(); // IJ.run renames its thread "Run$_..."
			LogCapture log = new LogCapture();
			HeadlessImageJ.addLogListener(log);
			Interpreter interpreter = new Interpreter();
			String returned = null;
			String failure = null;
			try {
				returned = interpreter.run(macro, arg == null ? "" : arg);
			} catch (RuntimeException e) {
				if (!Macro.MACRO_CANCELED.equals(e.getMessage())) failure = CommandInvocation.describe(e);
			} finally {
				HeadlessImageJ.removeLogListener(log);
				thread.setName(threadName);
			}
			if (interpreter.wasError()) {
				String message = interpreter.getErrorMessage();
				return new Result(false, null, message == null ? "Macro error" : message,
						lineNumber(interpreter), log.text());
			}
			if (failure != null) return new Result(false, null, failure, -1, log.text());
			if ("[aborted]".equals(returned)) return new Result(false, null, "The macro was aborted", -1, log.text());
			return new Result(true, returned, null, -1, log.text());
		}
	}

	/** The line the interpreter reports errors for (its package-private field), else its current line. */
	private static int lineNumber(Interpreter interpreter) {
		try {
			Field field = Interpreter.class.getDeclaredField("lineNumber");
			field.setAccessible(true);
			int line = field.getInt(interpreter);
			if (line > 0) return line;
		} catch (ReflectiveOperationException | RuntimeException e) {
			// fall back to the public, less precise method
		}
		try {
			return interpreter.getLineNumber();
		} catch (RuntimeException e) {
			return -1;
		}
	}

	/** How a macro run ended. */
	public static final class Result {

		private final boolean success;
		private final String returnValue;
		private final String errorMessage;
		private final int errorLine;
		private final String log;

		Result(boolean success, String returnValue, String errorMessage, int errorLine, String log) {
			this.success = success;
			this.returnValue = returnValue;
			this.errorMessage = errorMessage;
			this.errorLine = errorLine;
			this.log = log;
		}

		/** Whether the macro ran to its end (or {@code exit}) without an error. */
		public boolean success() {
			return success;
		}

		/** What the macro {@code return}ed, or {@code null}. */
		public String returnValue() {
			return returnValue;
		}

		/** The error that stopped the macro, {@code null} on success. */
		public String errorMessage() {
			return errorMessage;
		}

		/** The macro line of the error, or {@code -1} if not known. */
		public int errorLine() {
			return errorLine;
		}

		/** What the macro and the commands it ran wrote with {@code print} / {@code IJ.log}, one line each. */
		public String log() {
			return log;
		}

		/** The error with its line, as the command line shows it, or {@code null} on success. */
		public String describeError() {
			if (success) return null;
			return errorLine > 0 ? errorMessage + " (macro line " + errorLine + ")" : errorMessage;
		}

		@Override
		public String toString() {
			return success ? "success" + (returnValue == null ? "" : ": " + returnValue) : "failed: " + describeError();
		}
	}

	/** Collects {@code IJ.log} messages, honouring ImageJ's {@code \\Clear} and {@code \\Update:} log commands. */
	private static final class LogCapture implements Consumer<String> {

		private final List<String> lines = new ArrayList<>();

		@Override
		public synchronized void accept(String message) {
			if (message.startsWith("\\Clear")) {
				lines.clear();
			} else if (message.startsWith("\\Update:")) {
				String text = message.substring("\\Update:".length());
				if (lines.isEmpty()) lines.add(text);
				else lines.set(lines.size() - 1, text);
			} else if (message.startsWith("\\")) {
				// other log window commands (\\Close, \\Update<n>:, \\Main, ...) have no effect here
			} else {
				lines.add(message);
			}
		}

		synchronized String text() {
			return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
		}
	}
}
