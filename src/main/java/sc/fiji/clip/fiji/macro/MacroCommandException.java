package sc.fiji.clip.fiji.macro;

/** A command run from a macro failed; the message is complete and meant for the macro's user. */
final class MacroCommandException extends Exception {

	private static final long serialVersionUID = 1L;

	private final boolean alreadyReported;

	MacroCommandException(String message) {
		this(message, false);
	}

	private MacroCommandException(String message, boolean alreadyReported) {
		super(message);
		this.alreadyReported = alreadyReported;
	}

	/** The command aborted the macro itself ({@code IJ.error} in the command), with its own message. */
	static MacroCommandException alreadyReported() {
		return new MacroCommandException(null, true);
	}

	boolean isAlreadyReported() {
		return alreadyReported;
	}
}
