package sc.fiji.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layering the package docs promise, checked on the sources. */
class ArchitectureTest {

	private static final Path SOURCES = Path.of("src/main/java/sc/fiji/clip");
	private static final Set<String> IMAGEJ_PACKAGES = Set.of("imagej", "fiji", "cli");
	private static final Pattern IMAGEJ_IMPORT = Pattern.compile("^import (static )?ij\\.", Pattern.MULTILINE);

	@Test
	void onlyTheAdaptersAndShellsImportImageJ1() throws IOException {
		assertTrue(Files.isDirectory(SOURCES), "run from the project root: " + SOURCES.toAbsolutePath());
		List<String> offenders;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			offenders = files.filter(f -> f.toString().endsWith(".java"))
				.filter(f -> !IMAGEJ_PACKAGES.contains(SOURCES.relativize(f).getName(0).toString()))
				.filter(ArchitectureTest::importsImageJ)
				.map(f -> SOURCES.relativize(f).toString())
				.sorted()
				.collect(Collectors.toList());
		}
		assertEquals(List.of(), offenders, "ImageJ 1 types belong in sc.fiji.clip.imagej (adapters) or the shells");
	}

	@Test
	void theCoreDoesNotDependOnTheShells() throws IOException {
		List<String> offenders;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			offenders = files.filter(f -> f.toString().endsWith(".java"))
				.filter(f -> !Set.of("fiji", "cli").contains(SOURCES.relativize(f).getName(0).toString()))
				.filter(f -> read(f).matches("(?s).*\\bimport sc\\.fiji\\.clip\\.(fiji|cli)\\..*"))
				.map(f -> SOURCES.relativize(f).toString())
				.sorted()
				.collect(Collectors.toList());
		}
		assertEquals(List.of(), offenders, "the core must not import the Fiji commands or the command line");
	}

	private static boolean importsImageJ(Path file) {
		return IMAGEJ_IMPORT.matcher(read(file)).find();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		} catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
