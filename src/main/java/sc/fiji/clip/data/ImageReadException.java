package sc.fiji.clip.data;

import java.nio.file.Path;

/**
 * An image file that cannot be used: missing, empty, not an image, truncated, corrupt, too large or not decodable by
 * ImageJ. {@link #reason()} is the short reason for skip reports; the message names the file and says what to do.
 */
public class ImageReadException extends DatasetException {

	private final Path file;
	private final String reason;

	public ImageReadException(Path file, String reason) {
		this(file, reason, null);
	}

	public ImageReadException(Path file, String reason, Throwable cause) {
		super("Cannot open the image " + file + ": " + reason + ". Replace the file with a readable image, or remove "
				+ "it (or its row in the caption table) from the dataset.", cause);
		this.file = file;
		this.reason = reason;
	}

	/** The image file. */
	public Path file() {
		return file;
	}

	/** The short reason, e.g. "truncated PNG: the file ends before its IEND chunk". */
	public String reason() {
		return reason;
	}
}
