package sc.fiji.clip.updatesite;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksums the ImageJ updater records in {@code db.xml.gz} and checks after a download.
 * <p>
 * This reproduces {@code net.imagej.updater.util.UpdaterUtil#getDigest(String, File)} (imagej-updater 2.x):
 * <ul>
 * <li>A file whose path ends in {@code .jar} gets the "jar digest": SHA-1 over the jar's entries sorted by name,
 * each contributing its name (ASCII) followed by its content. Two entries are normalised so that rebuilding a jar
 * with the same content gives the same checksum: {@code META-INF/MANIFEST.MF} contributes only its name (the
 * updater filters the manifest down to its {@code Main-Class} line, but compares an upper-cased line with the
 * mixed-case prefix {@code "Main-Class:"}, so in practice nothing is kept), and every {@code *.properties} entry has
 * its {@code #} comment lines (Maven writes the build date there) reduced to their line feed. Entry timestamps,
 * order and compression do not enter the checksum.</li>
 * <li>Any other file gets SHA-1 over its path relative to the Fiji directory (ASCII, '/'-separated, e.g.
 * {@code macros/clip.ijm}) followed by its bytes: the path is part of the checksum.</li>
 * </ul>
 * Checksums are lower-case hexadecimal.
 */
public final class UpdaterChecksum {

	static final String MANIFEST = "META-INF/MANIFEST.MF";

	private UpdaterChecksum() {}

	/**
	 * Checksum of {@code file} as the updater computes it for a file stored at {@code path}.
	 *
	 * @param path the file's path relative to the Fiji directory, with '/' separators (decides the algorithm and, for
	 *        non-jar files, enters the checksum)
	 */
	public static String of(String path, Path file) throws IOException {
		if (path.endsWith(".jar")) return ofJar(file);
		MessageDigest sha1 = sha1();
		sha1.update(path.getBytes(StandardCharsets.US_ASCII));
		try (InputStream in = Files.newInputStream(file)) {
			update(sha1, in);
		}
		return hex(sha1.digest());
	}

	/** The updater's jar digest (see the class comment). */
	public static String ofJar(Path jarFile) throws IOException {
		MessageDigest sha1 = sha1();
		try (JarFile jar = new JarFile(jarFile.toFile())) {
			List<JarEntry> entries = Collections.list(jar.entries());
			entries.sort(Comparator.comparing(JarEntry::getName));
			for (JarEntry entry : entries) {
				String name = entry.getName();
				sha1.update(name.getBytes(StandardCharsets.US_ASCII));
				if (name.equals(MANIFEST)) continue;
				try (InputStream in = jar.getInputStream(entry)) {
					update(sha1, name.endsWith(".properties") ? new CommentLineFilter(in) : in);
				}
			}
		}
		return hex(sha1.digest());
	}

	private static void update(MessageDigest digest, InputStream in) throws IOException {
		byte[] buffer = new byte[65536];
		for (int n; (n = in.read(buffer)) >= 0;)
			digest.update(buffer, 0, n);
	}

	static MessageDigest sha1() {
		try {
			return MessageDigest.getInstance("SHA-1");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime has SHA-1", e);
		}
	}

	static String hex(byte[] bytes) {
		StringBuilder sb = new StringBuilder(bytes.length * 2);
		for (byte b : bytes)
			sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
		return sb.toString();
	}

	/**
	 * Drops {@code #} comment lines of a {@code .properties} entry exactly as the updater's {@code SkipHashedLines}
	 * does, quirks included: a comment line is replaced by its terminating line feed; only a '#' met while the
	 * filter believes it is at a line start opens a comment, and that belief is lost after a line that is empty or
	 * consists of '#' characters only (so a comment right after an empty line is kept).
	 */
	static final class CommentLineFilter extends FilterInputStream {

		private boolean atLineStart = true;

		CommentLineFilter(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int ch = in.read();
			if (!atLineStart) {
				if (ch == '\n') atLineStart = true;
				return ch;
			}
			if (ch != '#') {
				atLineStart = false;
				return ch;
			}
			int next;
			do {
				next = read();
			}
			while (next != '\n' && next != -1);
			return next;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (len == 0) return 0;
			int count = 0;
			while (count < len) {
				int ch = read();
				if (ch < 0) return count == 0 ? -1 : count;
				b[off + count++] = (byte) ch;
			}
			return count;
		}

		@Override
		public long skip(long n) throws IOException {
			throw new IOException("skip is not supported");
		}

		@Override
		public int available() {
			return 0;
		}

		@Override
		public boolean markSupported() {
			return false;
		}
	}
}
