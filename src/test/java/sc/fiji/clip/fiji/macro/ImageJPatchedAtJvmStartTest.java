package sc.fiji.clip.fiji.macro;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;

import org.junit.jupiter.api.Test;

/**
 * Surefire runs all test classes in one JVM in no fixed order, and other tests use ImageJ 1 directly. The macro tests
 * only work if ImageJ 1 is patched before any of them loads it, which the ij1-patcher agent in the surefire
 * {@code argLine} ({@code -javaagent:...ij1-patcher-2.0.0.jar=init}) does at JVM start.
 */
class ImageJPatchedAtJvmStartTest {

	@Test
	void imageJIsPatchedHeadlessBeforeAnyTestRuns() {
		assertTrue(GraphicsEnvironment.isHeadless(), "the tests need -Djava.awt.headless=true");
		assertDoesNotThrow(() -> ij.IJ.class.getField("_hooks"),
				"ImageJ 1 is not patched: the surefire argLine needs -javaagent:<ij1-patcher jar>=init");
		HeadlessImageJ.boot();
		assertTrue(HeadlessImageJ.isBooted());
	}
}
