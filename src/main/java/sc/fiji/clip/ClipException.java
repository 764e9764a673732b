package sc.fiji.clip;

/**
 * A problem the user can act on: bad input, a missing file, an impossible setting.
 * <p>
 * Its message is a short paragraph for a person, naming the file or parameter and what to do; front ends show it
 * as it is, without a stack trace.
 */
public class ClipException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public ClipException(String message) {
		super(message);
	}

	public ClipException(String message, Throwable cause) {
		super(message, cause);
	}
}
