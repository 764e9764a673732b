package sc.fiji.clip.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import java.io.File;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.codehaus.groovy.jsr223.GroovyScriptEngineFactory;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;
import org.scijava.script.ScriptInfo;
import org.scijava.script.ScriptModule;
import org.scijava.script.ScriptService;
import sc.fiji.clip.fiji.macro.HeadlessImageJ;
import sc.fiji.clip.testing.Fixtures;

/**
 * The Script Editor templates run as Fiji runs them: SciJava's script service parses their {@code #@} parameters and
 * injects the ClipService, and Groovy's JSR-223 engine (a test dependency; Fiji ships Groovy) runs them. SciJava no
 * longer finds JSR-223 engines by itself (Fiji's {@code scripting-groovy} plugin, not on Maven Central, registers
 * Groovy), so the test registers the engine with the script service's language index.
 */
class ScriptTemplatesTest {

	@Test
	void theLabelCurrentImageTemplateLabelsEveryPlaneWithTheInjectedService() throws Exception {
		HeadlessImageJ.boot();
		URL url = getClass().getResource("/script_templates/CLIP/Label_Current_Image.groovy");
		assertNotNull(url, "template on the class path");
		File template = Paths.get(url.toURI()).toFile();
		try (Context context = new Context(CommandService.class, ScriptService.class, ClipService.class)) {
			ScriptService scripts = context.service(ScriptService.class);
			// Fiji's scripting-groovy plugin gives SciJava the Groovy language; here SciJava's adapter of a JSR-223 engine does
			scripts.getIndex().add(new GroovyScriptEngineFactory(), false);
			assertNotNull(scripts.getLanguageByExtension("groovy"), "Groovy known to the script service");
			scripts.addAlias(ImagePlus.class); // as ImageJ-legacy does in Fiji, for '#@ ImagePlus imp'
			ImagePlus imp = new ImagePlus("cells", new ColorProcessor(40, 30));
			ScriptInfo info = scripts.getScript(template);
			ModuleService modules = context.service(ModuleService.class);
			ScriptModule module = (ScriptModule) modules.createModule(info);
			StringWriter out = new StringWriter(), err = new StringWriter();
			module.setOutputWriter(out);
			module.setErrorWriter(err);
			modules.run(module, true, Map.of("imp", imp, "model",
				Fixtures.hfClipTiny().toFile(), "labels", "a cell, background", "topk", 2)).get(120, TimeUnit.SECONDS);
			assertEquals("", err.toString(), "the script ran without an error");
			String printed = out.toString();
			assertTrue(printed.startsWith("cells c=1 z=1 t=1: "), printed);
			assertTrue(printed.contains("a cell") && printed.contains("background"), printed);
			assertTrue(printed.contains("cosine similarity"), printed);
			assertEquals(1, context.service(ClipService.class).cache().loads(), "the template's three calls load once");
		}
	}
}
