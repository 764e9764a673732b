package sc.fiji.clip.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads small text files (caption tables, sidecars, templates) as strict UTF-8. */
final class TextFiles {

	private TextFiles() {}

	/**
	 * The whole file decoded as UTF-8, without a leading byte order mark. Invalid UTF-8 is reported with the file, the
	 * line and the offending bytes rather than silently replaced.
	 *
	 * @throws DatasetException if the file cannot be read or is not UTF-8
	 */
	static String readUtf8(Path file) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (IOException e) {
			throw new DatasetException("Cannot read " + file + ": " + e.getMessage()
					+ ". Check that the file exists and that you may read it.", e);
		}
		return decodeUtf8(bytes, file.toString());
	}

	/** Decodes {@code bytes} as strict UTF-8; {@code name} names the source in error messages. */
	static String decodeUtf8(byte[] bytes, String name) {
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT);
		ByteBuffer in = ByteBuffer.wrap(bytes);
		CharBuffer out = CharBuffer.allocate(bytes.length + 1);
		CoderResult result = decoder.decode(in, out, true);
		if (!result.isError()) result = decoder.flush(out);
		if (result.isError()) {
			int at = in.position();
			int line = 1;
			for (int i = 0; i < at; i++) if (bytes[i] == '\n') line++;
			StringBuilder hex = new StringBuilder();
			for (int i = at; i < Math.min(bytes.length, at + Math.max(1, result.length())); i++) {
				if (hex.length() > 0) hex.append(' ');
				hex.append(String.format("0x%02X", bytes[i] & 0xFF));
			}
			throw new NotUtf8(name, line, at, hex.toString());
		}
		out.flip();
		String text = out.toString();
		return text.startsWith("\uFEFF") ? text.substring(1) : text;
	}

	/** A text file that is not valid UTF-8; the message names the file, line and bytes. */
	static final class NotUtf8 extends DatasetException {

		final int line;
		final String bytes;

		NotUtf8(String name, int line, int offset, String bytes) {
			super(name + " is not valid UTF-8 text: line " + line + " contains " + bytes + " (byte offset " + offset
					+ "), which is not UTF-8. Save the file with the UTF-8 encoding (in Excel: \"CSV UTF-8\"; in a "
					+ "text editor: encoding UTF-8) and try again.");
			this.line = line;
			this.bytes = bytes;
		}
	}

	/** Splits text into lines at CRLF, LF or CR. */
	static List<String> lines(String text) {
		List<String> lines = new ArrayList<>();
		int start = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\n' || c == '\r') {
				lines.add(text.substring(start, i));
				if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
				start = i + 1;
			}
		}
		if (start < text.length()) lines.add(text.substring(start));
		return lines;
	}
}
