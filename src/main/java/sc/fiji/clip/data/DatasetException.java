package sc.fiji.clip.data;

/**
 * A problem with the user's dataset folder that they can fix: a missing column, a file that is not UTF-8, a folder
 * without captions, a template without {@code {}}.
 * <p>
 * The message is a user-facing paragraph: it names the file, line or parameter at fault and says what to do, so the
 * plugin can show it as it is.
 */
public class DatasetException extends sc.fiji.clip.ClipException {

	public DatasetException(String message) {
		super(message);
	}

	public DatasetException(String message, Throwable cause) {
		super(message, cause);
	}
}
