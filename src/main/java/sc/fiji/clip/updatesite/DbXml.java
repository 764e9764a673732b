package sc.fiji.clip.updatesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * An update site's index, {@code db.xml.gz}, in the ImageJ updater's format (imagej-updater's
 * {@code XMLFileWriter}/{@code XMLFileReader}): gzip-compressed UTF-8 XML with the updater's DTD as internal subset,
 * root {@code <pluginRecords>}, one {@code <plugin filename="...">} per file. An update site's index has no
 * {@code <update-site>} elements and no {@code update-site} attribute (those are only in Fiji's local index).
 */
public final class DbXml {

	/** The document type declaration the updater writes in front of {@code <pluginRecords>}, verbatim. */
	public static final String DTD = "<!DOCTYPE pluginRecords [\n" +
		"<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n" +
		"<!ELEMENT update-site EMPTY>\n" +
		"<!ELEMENT disabled-update-site EMPTY>\n" +
		"<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n" +
		"<!ELEMENT version (description?, dependency*, link*, author*)>\n" +
		"<!ELEMENT previous-version EMPTY>\n" +
		"<!ELEMENT description (#PCDATA)>\n" +
		"<!ELEMENT dependency EMPTY>\n" +
		"<!ELEMENT link (#PCDATA)>\n" +
		"<!ELEMENT author (#PCDATA)>\n" +
		"<!ELEMENT platform (#PCDATA)>\n" +
		"<!ELEMENT category (#PCDATA)>\n" +
		"<!ATTLIST update-site name CDATA #REQUIRED>\n" +
		"<!ATTLIST update-site url CDATA #REQUIRED>\n" +
		"<!ATTLIST update-site keep-url CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site official CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site description CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site maintainer CDATA #IMPLIED>\n" +
		"<!ATTLIST update-site timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n" +
		"<!ATTLIST disabled-update-site keep-url CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site official CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n" +
		"<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin update-site CDATA #IMPLIED>\n" +
		"<!ATTLIST plugin filename CDATA #REQUIRED>\n" +
		"<!ATTLIST plugin executable CDATA #IMPLIED>\n" +
		"<!ATTLIST dependency filename CDATA #REQUIRED>\n" +
		"<!ATTLIST dependency timestamp CDATA #IMPLIED>\n" +
		"<!ATTLIST dependency overrides CDATA #IMPLIED>\n" +
		"<!ATTLIST version timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST version checksum CDATA #REQUIRED>\n" +
		"<!ATTLIST version filesize CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version filename CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n" +
		"<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n" +
		"<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

	private static final String INDENT = "    ";

	private DbXml() {}

	/** The current version of a file: its checksum, upload timestamp ({@code yyyyMMddHHmmss}) and size in bytes. */
	public static final class Version {
		public final String checksum;
		public final long timestamp;
		public final long filesize;

		public Version(String checksum, long timestamp, long filesize) {
			this.checksum = checksum;
			this.timestamp = timestamp;
			this.filesize = filesize;
		}
	}

	/** A version that was replaced at {@code timestampObsolete}; {@code filename} is its (versioned) name. */
	public static final class PreviousVersion {
		public final String filename;
		public final String checksum;
		public final long timestamp;
		public final long timestampObsolete;

		public PreviousVersion(String filename, String checksum, long timestamp, long timestampObsolete) {
			this.filename = filename;
			this.checksum = checksum;
			this.timestamp = timestamp;
			this.timestampObsolete = timestampObsolete;
		}
	}

	/** A dependency on another file, by unversioned name, as of {@code timestamp}. */
	public static final class Dependency {
		public final String filename;
		public final long timestamp;
		public final boolean overrides;

		public Dependency(String filename, long timestamp, boolean overrides) {
			this.filename = filename;
			this.timestamp = timestamp;
			this.overrides = overrides;
		}
	}

	/** One {@code <plugin>} record: a file of the site, current ({@link #version} set) or obsolete (no version). */
	public static final class Plugin {
		/** Path relative to Fiji.app, with the version, e.g. {@code jars/fiji-clip-0.1.0.jar}. */
		public final String filename;
		public boolean executable;
		public final List<String> platforms = new ArrayList<>();
		public final List<String> categories = new ArrayList<>();
		public Version version;
		public String description;
		public final List<Dependency> dependencies = new ArrayList<>();
		public final List<String> links = new ArrayList<>();
		public final List<String> authors = new ArrayList<>();
		public final List<PreviousVersion> previous = new ArrayList<>();

		public Plugin(String filename) {
			this.filename = filename;
		}

		/** The updater's key for this file (see {@link VersionedName}). */
		public String unversioned() {
			return VersionedName.unversioned(filename);
		}

		/** Where the update site serves the current version: {@code <filename>-<timestamp>}. */
		public String siteFilename() {
			if (version == null) throw new IllegalStateException(filename + " is obsolete");
			return filename + "-" + version.timestamp;
		}
	}

	// -- writing --

	/** Writes the uncompressed XML. */
	public static void writeXml(List<Plugin> plugins, OutputStream out) throws IOException {
		Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
		w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		w.write(DTD);
		if (plugins.isEmpty()) {
			w.write("<pluginRecords/>\n");
			w.flush();
			return;
		}
		w.write("<pluginRecords>\n");
		for (Plugin p : plugins) {
			w.write(INDENT + "<plugin filename=\"" + escape(p.filename) + "\"" +
				(p.executable ? " executable=\"true\"" : "") + ">\n");
			for (String platform : p.platforms)
				element(w, 2, "platform", platform);
			for (String category : p.categories)
				element(w, 2, "category", category);
			if (p.version != null) {
				Version v = p.version;
				w.write(INDENT + INDENT + "<version checksum=\"" + escape(v.checksum) + "\" timestamp=\"" + v.timestamp +
					"\" filesize=\"" + v.filesize + "\">\n");
				if (p.description != null) element(w, 3, "description", p.description);
				for (Dependency d : p.dependencies)
					w.write(INDENT + INDENT + INDENT + "<dependency filename=\"" + escape(d.filename) + "\" timestamp=\"" +
						d.timestamp + "\"" + (d.overrides ? " overrides=\"true\"" : "") + "/>\n");
				for (String link : p.links)
					element(w, 3, "link", link);
				for (String author : p.authors)
					element(w, 3, "author", author);
				w.write(INDENT + INDENT + "</version>\n");
			}
			for (PreviousVersion pv : p.previous)
				w.write(INDENT + INDENT + "<previous-version timestamp=\"" + pv.timestamp + "\" timestamp-obsolete=\"" +
					pv.timestampObsolete + "\" checksum=\"" + escape(pv.checksum) + "\"" +
					(pv.filename != null ? " filename=\"" + escape(pv.filename) + "\"" : "") + "/>\n");
			w.write(INDENT + "</plugin>\n");
		}
		w.write("</pluginRecords>\n");
		w.flush();
	}

	/** The XML as a string, for logs and tests. */
	public static String toXml(List<Plugin> plugins) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			writeXml(plugins, out);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return new String(out.toByteArray(), StandardCharsets.UTF_8);
	}

	/** Writes {@code db.xml.gz}. */
	public static void write(List<Plugin> plugins, Path dbXmlGz) throws IOException {
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dbXmlGz))) {
			writeXml(plugins, out);
		}
	}

	private static void element(Writer w, int depth, String name, String text) throws IOException {
		w.write(INDENT.repeat(depth) + "<" + name + ">" + escape(text) + "</" + name + ">\n");
	}

	static String escape(String s) {
		StringBuilder sb = new StringBuilder(s.length());
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '&': sb.append("&amp;"); break;
				case '<': sb.append("&lt;"); break;
				case '>': sb.append("&gt;"); break;
				case '"': sb.append("&quot;"); break;
				case '\n': case '\t': case '\r': sb.append("&#").append((int) c).append(';'); break;
				default:
					if (c < 0x20) throw new IllegalArgumentException("control character U+" +
						Integer.toHexString(c) + " cannot be written to XML 1.0: " + s);
					sb.append(c);
			}
		}
		return sb.toString();
	}

	// -- reading --

	/** Reads {@code db.xml.gz} the way the updater does: namespace-aware, not validating. */
	public static List<Plugin> read(Path dbXmlGz) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
			return readXml(in);
		}
	}

	/** Reads uncompressed XML. */
	public static List<Plugin> readXml(InputStream in) throws IOException {
		Handler handler = new Handler();
		try {
			SAXParserFactory factory = SAXParserFactory.newInstance();
			factory.setNamespaceAware(true);
			factory.newSAXParser().parse(new InputSource(in), handler);
		}
		catch (ParserConfigurationException | SAXException e) {
			throw new IOException("not an update site index: " + e.getMessage(), e);
		}
		return handler.plugins;
	}

	private static final class Handler extends DefaultHandler {
		final List<Plugin> plugins = new ArrayList<>();
		private Plugin current;
		private final StringBuilder body = new StringBuilder();

		@Override
		public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
			body.setLength(0);
			switch (qName) {
				case "plugin":
					current = new Plugin(required(atts, "filename"));
					current.executable = "true".equalsIgnoreCase(atts.getValue("executable"));
					break;
				case "version":
					current.version = new Version(required(atts, "checksum"), number(atts, "timestamp"),
						number(atts, "filesize"));
					break;
				case "previous-version":
					current.previous.add(new PreviousVersion(atts.getValue("filename"), required(atts, "checksum"),
						number(atts, "timestamp"), number(atts, "timestamp-obsolete")));
					break;
				case "dependency":
					current.dependencies.add(new Dependency(required(atts, "filename"), number(atts, "timestamp"),
						"true".equals(atts.getValue("overrides"))));
					break;
				default:
			}
		}

		@Override
		public void endElement(String uri, String localName, String qName) {
			String text = body.toString();
			switch (qName) {
				case "plugin": plugins.add(current); current = null; break;
				case "description": current.description = text; break;
				case "author": current.authors.add(text); break;
				case "link": current.links.add(text); break;
				case "platform": current.platforms.add(text); break;
				case "category": current.categories.add(text); break;
				default:
			}
			body.setLength(0);
		}

		@Override
		public void characters(char[] ch, int start, int length) {
			body.append(ch, start, length);
		}

		private static String required(Attributes atts, String name) throws SAXException {
			String value = atts.getValue(name);
			if (value == null) throw new SAXException("missing attribute " + name);
			return value;
		}

		private static long number(Attributes atts, String name) {
			String value = atts.getValue(name);
			return value == null ? 0 : Long.parseLong(value);
		}
	}
}
