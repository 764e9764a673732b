package sc.fiji.clip.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import sc.fiji.clip.ClipException;

/** Checks a command's output file before any work starts, so a mistyped path fails at once and not after the run. */
final class OutputFile {

	private OutputFile() {}

	/**
	 * Refuses a folder, an existing file without {@code overwrite}, and a path whose folder does not exist.
	 *
	 * @param option the option that named it, e.g. {@code --out}
	 * @param kind what to give instead, e.g. {@code "a .csv file"}
	 */
	static void check(Path out, boolean overwrite, String option, String kind) {
		if (Files.isDirectory(out)) {
			throw new ClipException(option + " " + out + " is a folder. Give the path of " + kind + " to write.");
		}
		if (Files.exists(out) && !overwrite) {
			throw new ClipException(option + " " + out + " exists already. Add --overwrite to replace it, or choose "
				+ "another file.");
		}
		Path parent = out.toAbsolutePath().getParent();
		if (parent == null || !Files.isDirectory(parent)) {
			throw new ClipException("Cannot write " + option + " " + out + ": the folder " + parent + " does not exist. "
				+ "Create it first or choose another path.");
		}
	}
}
