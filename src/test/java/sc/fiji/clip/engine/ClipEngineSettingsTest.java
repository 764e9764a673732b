package sc.fiji.clip.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fiji CLIP shares its JVM with other plugins: it fills in DJL's settings only where nobody gave one. */
class ClipEngineSettingsTest {

	@Test
	void aSettingSomeoneElseGaveIsKept() {
		String before = System.getProperty("ai.djl.offline");
		try {
			System.setProperty("ai.djl.offline", "false");
			ClipEngine.configureOffline();
			assertEquals("false", System.getProperty("ai.djl.offline"));
			System.clearProperty("ai.djl.offline");
			ClipEngine.configureOffline();
			assertEquals(System.getenv("DJL_OFFLINE") == null ? "true" : null, System.getProperty("ai.djl.offline"),
				"set only where neither the property nor the environment (DJL_OFFLINE) says");
		} finally {
			if (before == null) System.clearProperty("ai.djl.offline");
			else System.setProperty("ai.djl.offline", before);
		}
	}
}
