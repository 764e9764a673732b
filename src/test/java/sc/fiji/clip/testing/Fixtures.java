package sc.fiji.clip.testing;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Test resources: the tiny Hugging Face CLIP fixture and its expected outputs. */
public final class Fixtures {

	private Fixtures() {}

	/** The folder {@code src/test/resources/hf-clip-tiny}. */
	public static Path hfClipTiny() {
		URL url = Fixtures.class.getResource("/hf-clip-tiny/config.json");
		if (url == null) throw new IllegalStateException("hf-clip-tiny fixture missing from test resources");
		try {
			return Paths.get(url.toURI()).getParent();
		} catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The fixture's {@code expected.json}. */
	public static JsonObject expected() {
		try {
			return JsonParser.parseString(Files.readString(hfClipTiny().resolve("expected.json"), StandardCharsets.UTF_8))
				.getAsJsonObject();
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
