package sc.fiji.clip.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import sc.fiji.clip.ClipException;

/**
 * Writes a file so that readers see either the old file or the complete new one, never a half-written one: the
 * content goes to a temporary file in the same folder, is synced to disk, then moved over the target.
 */
public final class AtomicFiles {

	/** Writes content to a stream. */
	@FunctionalInterface
	public interface Content {
		void writeTo(OutputStream out) throws IOException;
	}

	/** Opens the temporary file's stream; replaced in tests to simulate a full disk. */
	@FunctionalInterface
	public interface StreamOpener {
		OutputStream open(Path path) throws IOException;
	}

	private static final StreamOpener FILES = Files::newOutputStream;

	private AtomicFiles() {}

	/** Writes {@code target} atomically; on failure the previous file, if any, is left as it was. */
	public static void write(Path target, Content content) {
		write(target, content, FILES);
	}

	/** As {@link #write(Path, Content)}, opening the temporary file with {@code opener}. */
	public static void write(Path target, Content content, StreamOpener opener) {
		Path dir = target.toAbsolutePath().getParent();
		if (dir == null || !Files.isDirectory(dir)) {
			throw new ClipException("Cannot write " + target + ": the folder " + dir + " does not exist. Create it first "
				+ "or choose another output path.");
		}
		Path tmp = null;
		try {
			tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
			try (OutputStream out = new BufferedOutputStream(opener.open(tmp), 1 << 16)) {
				content.writeTo(out);
			}
			try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
				java.nio.file.StandardOpenOption.WRITE))
			{
				ch.force(true);
			}
			readableLikeOtherFiles(tmp, target);
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			tmp = null;
		} catch (IOException e) {
			throw new ClipException("Could not write " + target + ": " + e.getMessage() + ". Check that the folder is "
				+ "writable and the disk has space; " + (Files.exists(target) ? "the previous file is unchanged." : "nothing was written."), e);
		} finally {
			if (tmp != null) {
				try {
					Files.deleteIfExists(tmp);
				} catch (IOException e) {
					// best effort: a stray .part file is harmless
				}
			}
		}
	}

	/**
	 * Temporary files are private to their owner; the finished file gets the permissions of the file it replaces, or
	 * rw-r--r-- (a model or table others in the lab may read), where the file system has POSIX permissions.
	 */
	private static void readableLikeOtherFiles(Path tmp, Path target) {
		try {
			Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
				: PosixFilePermissions.fromString("rw-r--r--"));
		} catch (UnsupportedOperationException | IOException e) {
			// not a POSIX file system: the platform's defaults apply
		}
	}
}
