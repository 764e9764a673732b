package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * The module name a jar has on the JVM's module path, and a repair for jars whose name the JVM refuses.
 * <p>
 * Fiji's launcher puts {@code jars/<platform>/} on {@code --module-path} (fiji/fiji {@code config/fiji.toml}), and the
 * JVM derives a module descriptor for every jar there while it builds the boot layer: one invalid
 * {@code Automatic-Module-Name} (DJL's {@code pytorch-native-cpu} jars declare
 * {@code ai.djl.pytorch_native_cpu_linux-x86_64}) stops Fiji before it starts. The check is the JVM's own
 * ({@link ModuleFinder}); the repair rewrites only the manifest attribute.
 */
public final class ModuleNames {

	private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
		"catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
		"finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
		"native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
		"super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
		"true", "false", "null", "_");
	private static final Pattern VERSION = Pattern.compile("-(\\d+(\\.|$))");

	private ModuleNames() {}

	/** Why the JVM cannot put {@code jar} on the module path, or {@code null} if it can. */
	public static String problem(Path jar) {
		try {
			ModuleFinder.of(jar).findAll();
			return null;
		}
		catch (FindException e) {
			StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
			for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause())
				why.append(": ").append(c.getMessage());
			return why.toString();
		}
	}

	/** The jar's {@code Automatic-Module-Name}, or {@code null} if its manifest has none. */
	public static String declared(Path jar) throws IOException {
		try (JarFile file = new JarFile(jar.toFile())) {
			Manifest manifest = file.getManifest();
			return manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name");
		}
	}

	/**
	 * The name the JVM would derive from a jar's file name ({@code foo-bar-1.2.jar} gives {@code foo.bar}), as
	 * {@link ModuleFinder} documents it, whether valid or not.
	 */
	public static String fromFileName(String fileName) {
		String name = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
		java.util.regex.Matcher m = VERSION.matcher(name);
		if (m.find()) name = name.substring(0, m.start());
		name = name.replaceAll("[^A-Za-z0-9]", ".").replaceAll("\\.{2,}", ".");
		return name.replaceAll("^\\.|\\.$", "");
	}

	/**
	 * A valid module name close to {@code name}: in each dot-separated part, characters a Java identifier cannot
	 * hold become {@code _}, a part starting with a digit gets a leading {@code _}, a keyword a trailing one.
	 */
	public static String repair(String name) {
		StringBuilder out = new StringBuilder();
		for (String part : name.split("\\.", -1)) {
			if (part.isEmpty()) continue;
			StringBuilder p = new StringBuilder();
			for (int i = 0; i < part.length(); i++) {
				char c = part.charAt(i);
				p.append(i == 0 ? Character.isJavaIdentifierStart(c) ? c : Character.isJavaIdentifierPart(c) ? "_" + c : "_"
					: Character.isJavaIdentifierPart(c) ? c : '_');
			}
			String s = p.toString();
			if (KEYWORDS.contains(s)) s += "_";
			if (out.length() > 0) out.append('.');
			out.append(s);
		}
		if (out.length() == 0) throw new IllegalArgumentException("no module name can be made from '" + name + "'");
		return out.toString();
	}

	/**
	 * Copies {@code jar} to {@code target} with {@code Automatic-Module-Name: name} in its manifest; every other entry
	 * is copied as it is (the updater's checksum ignores the manifest's content, so it does not change).
	 */
	public static void withAutomaticModuleName(Path jar, Path target, String name) throws IOException {
		Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
		try (FileSystem zip = FileSystems.newFileSystem(target, (ClassLoader) null)) {
			Path entry = zip.getPath(JarFile.MANIFEST_NAME);
			Manifest manifest = new Manifest();
			if (Files.exists(entry)) {
				try (InputStream in = Files.newInputStream(entry)) {
					manifest.read(in);
				}
			}
			Attributes main = manifest.getMainAttributes();
			if (main.getValue(Attributes.Name.MANIFEST_VERSION) == null) main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
			main.putValue("Automatic-Module-Name", name);
			Files.createDirectories(entry.getParent());
			try (OutputStream out = Files.newOutputStream(entry)) {
				manifest.write(out);
			}
		}
	}
}
