package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * What a POM tells the update site about a jar.
 * <p>
 * When the updater uploads a jar it reads the first {@code META-INF/maven/.../pom.xml} in it ({@code POMParser}):
 * a non-empty {@code project/description} becomes the {@code <description>}, each
 * {@code project/developers/developer/name} an {@code <author>}. {@link #fromJar} does the same; the builder falls
 * back to the POM that Maven copied next to a jar without one (DJL's jars have none), and takes {@code project/url}
 * as a {@code <link>}.
 */
public final class PomMetadata {

	public static final PomMetadata NONE = new PomMetadata(null, List.of(), null, List.of());

	/** {@code null} if absent or empty. */
	public final String description;
	public final List<String> developers;
	/** {@code null} if absent. */
	public final String url;
	/** {@code groupId:artifactId} of the compile and runtime dependencies that are not optional. */
	public final List<String> dependencies;

	PomMetadata(String description, List<String> developers, String url, List<String> dependencies) {
		this.description = description;
		this.developers = developers;
		this.url = url;
		this.dependencies = dependencies;
	}

	/** Reads the first embedded POM of a jar, as the updater does; {@link #NONE} if there is none. */
	public static PomMetadata fromJar(Path jarFile) throws IOException {
		try (JarFile jar = new JarFile(jarFile.toFile())) {
			for (JarEntry entry : Collections.list(jar.entries())) {
				if (entry.getName().matches("META-INF/maven/.*/pom.xml")) {
					try (InputStream in = jar.getInputStream(entry)) {
						return parse(in, jarFile + "!/" + entry.getName());
					}
				}
			}
		}
		return NONE;
	}

	/** Reads a POM file. */
	public static PomMetadata fromPom(Path pom) throws IOException {
		try (InputStream in = Files.newInputStream(pom)) {
			return parse(in, pom.toString());
		}
	}

	static PomMetadata parse(InputStream in, String what) throws IOException {
		Element project;
		try {
			DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
			factory.setNamespaceAware(true);
			factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
			factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
			project = factory.newDocumentBuilder().parse(in).getDocumentElement();
		}
		catch (ParserConfigurationException | SAXException e) {
			throw new IOException("cannot read POM " + what + ": " + e.getMessage(), e);
		}
		if (!"project".equals(project.getLocalName())) throw new IOException("not a POM: " + what);

		String description = text(child(project, "description"));
		if (description != null && description.isEmpty()) description = null;
		List<String> developers = new ArrayList<>();
		for (Element developer : children(child(project, "developers"), "developer")) {
			String name = text(child(developer, "name"));
			if (name != null) developers.add(name);
		}
		String url = text(child(project, "url"));
		List<String> dependencies = new ArrayList<>();
		for (Element dependency : children(child(project, "dependencies"), "dependency")) {
			String scope = text(child(dependency, "scope"));
			if (scope != null && !scope.equals("compile") && !scope.equals("runtime")) continue;
			if ("true".equals(text(child(dependency, "optional")))) continue;
			dependencies.add(text(child(dependency, "groupId")) + ":" + text(child(dependency, "artifactId")));
		}
		return new PomMetadata(description, List.copyOf(developers), url == null ? null : url.trim(),
			List.copyOf(dependencies));
	}

	private static Element child(Element parent, String name) {
		if (parent == null) return null;
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element && name.equals(n.getLocalName())) return (Element) n;
		return null;
	}

	private static List<Element> children(Element parent, String name) {
		List<Element> result = new ArrayList<>();
		if (parent == null) return result;
		for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling())
			if (n instanceof Element && name.equals(n.getLocalName())) result.add((Element) n);
		return result;
	}

	private static String text(Element e) {
		return e == null ? null : e.getTextContent();
	}
}
