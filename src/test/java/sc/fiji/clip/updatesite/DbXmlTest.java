package sc.fiji.clip.updatesite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.SAXParserFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

import sc.fiji.clip.updatesite.DbXml.Dependency;
import sc.fiji.clip.updatesite.DbXml.Plugin;
import sc.fiji.clip.updatesite.DbXml.PreviousVersion;
import sc.fiji.clip.updatesite.DbXml.Version;

class DbXmlTest {

	@TempDir
	Path tmp;

	/** Fails on every warning and error, as a strict reader of the updater's DTD would. */
	static final ErrorHandler STRICT = new ErrorHandler() {
		@Override
		public void warning(SAXParseException e) throws SAXException {
			throw e;
		}

		@Override
		public void error(SAXParseException e) throws SAXException {
			throw e;
		}

		@Override
		public void fatalError(SAXParseException e) throws SAXException {
			throw e;
		}
	};

	/** Parses with a validating SAX parser against the DTD the document carries (as XMLFileWriter.validate does). */
	static void validate(InputStream xml) throws Exception {
		SAXParserFactory factory = SAXParserFactory.newInstance();
		factory.setValidating(true);
		factory.setNamespaceAware(true);
		org.xml.sax.XMLReader reader = factory.newSAXParser().getXMLReader();
		reader.setErrorHandler(STRICT);
		reader.setContentHandler(new DefaultHandler());
		reader.parse(new InputSource(xml));
	}

	static Document gunzipDom(Path dbXmlGz) throws Exception {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(dbXmlGz))) {
			return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
		}
	}

	static Plugin sample() {
		Plugin clip = new Plugin("jars/fiji-clip-0.1.0.jar");
		clip.version = new Version("0123456789abcdef0123456789abcdef01234567", 20260102030405L, 4711);
		clip.description = "CLIP in Fiji: <labels> & \"colours\"\nsecond line";
		clip.dependencies.add(new Dependency("jars/api.jar", 20260102030405L, false));
		clip.links.add("https://imagej.net/plugins/clip");
		clip.authors.add("Ada Lovelace");
		clip.authors.add("Grace Hopper");
		clip.previous.add(new PreviousVersion("jars/fiji-clip-0.0.9.jar", "ffffffffffffffffffffffffffffffffffffffff",
			20250101000000L, 20260102030405L));
		return clip;
	}

	@Test
	void writtenIndexIsGzipXmlThatValidatesAgainstTheUpdatersDtd() throws Exception {
		Plugin nativeJar = new Plugin("jars/linux64/pytorch-native-cpu-2.7.1-linux-x86_64.jar");
		nativeJar.platforms.add("linux64");
		nativeJar.version = new Version("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 20260102030405L, 111597418);
		Plugin obsolete = new Plugin("jars/old-1.0.jar");
		obsolete.previous.add(new PreviousVersion("jars/old-1.0.jar", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
			20240101000000L, 20260102030405L));
		Path db = tmp.resolve("db.xml.gz");
		DbXml.write(List.of(sample(), nativeJar, obsolete), db);

		byte[] raw = Files.readAllBytes(db);
		assertEquals(0x1f, raw[0] & 0xff, "gzip magic");
		assertEquals(0x8b, raw[1] & 0xff, "gzip magic");
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			validate(in);
		}
		String xml = new String(new GZIPInputStream(Files.newInputStream(db)).readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + DbXml.DTD + "<pluginRecords>"), xml);
	}

	@Test
	void dtdRejectsWhatTheUpdaterForbids() {
		// <author> before <dependency> breaks the content model (description?, dependency*, link*, author*)
		String bad = "<?xml version=\"1.0\"?>\n" + DbXml.DTD + "<pluginRecords><plugin filename=\"jars/a.jar\">" +
			"<version checksum=\"c\" timestamp=\"1\" filesize=\"1\"><author>x</author>" +
			"<dependency filename=\"jars/b.jar\"/></version></plugin></pluginRecords>";
		assertThrows(SAXParseException.class, () -> validate(new ByteArrayInputStream(bad.getBytes(
			StandardCharsets.UTF_8))));
		String missingChecksum = "<?xml version=\"1.0\"?>\n" + DbXml.DTD + "<pluginRecords><plugin filename=\"a\">" +
			"<version timestamp=\"1\" filesize=\"1\"/></plugin></pluginRecords>";
		assertThrows(SAXParseException.class, () -> validate(new ByteArrayInputStream(missingChecksum.getBytes(
			StandardCharsets.UTF_8))));
	}

	@Test
	void recordsCarryTheUpdatersElementsAndAttributes() throws Exception {
		Path db = tmp.resolve("db.xml.gz");
		DbXml.write(List.of(sample()), db);
		Element plugin = (Element) gunzipDom(db).getElementsByTagName("plugin").item(0);
		assertEquals("jars/fiji-clip-0.1.0.jar", plugin.getAttribute("filename"));
		assertEquals("", plugin.getAttribute("update-site"), "a site's own index names no update site");
		Element version = (Element) plugin.getElementsByTagName("version").item(0);
		assertEquals("0123456789abcdef0123456789abcdef01234567", version.getAttribute("checksum"));
		assertEquals("20260102030405", version.getAttribute("timestamp"));
		assertEquals("4711", version.getAttribute("filesize"));
		assertEquals("CLIP in Fiji: <labels> & \"colours\"\nsecond line", text(version, "description"));
		Element dependency = (Element) version.getElementsByTagName("dependency").item(0);
		assertEquals("jars/api.jar", dependency.getAttribute("filename"));
		assertEquals("20260102030405", dependency.getAttribute("timestamp"));
		assertEquals("Ada Lovelace", version.getElementsByTagName("author").item(0).getTextContent());
		assertEquals("Grace Hopper", version.getElementsByTagName("author").item(1).getTextContent());
		Element previous = (Element) plugin.getElementsByTagName("previous-version").item(0);
		assertEquals("jars/fiji-clip-0.0.9.jar", previous.getAttribute("filename"));
		assertEquals("20260102030405", previous.getAttribute("timestamp-obsolete"));
	}

	@Test
	void readingBackGivesWhatWasWritten() throws Exception {
		Path db = tmp.resolve("db.xml.gz");
		DbXml.write(List.of(sample()), db);
		List<Plugin> read = DbXml.read(db);
		assertEquals(1, read.size());
		Plugin p = read.get(0);
		Plugin s = sample();
		assertEquals(s.filename, p.filename);
		assertEquals("jars/fiji-clip.jar", p.unversioned());
		assertEquals("jars/fiji-clip-0.1.0.jar-20260102030405", p.siteFilename());
		assertEquals(s.version.checksum, p.version.checksum);
		assertEquals(s.version.filesize, p.version.filesize);
		assertEquals(s.description, p.description);
		assertEquals(s.authors, p.authors);
		assertEquals(s.links, p.links);
		assertEquals("jars/api.jar", p.dependencies.get(0).filename);
		assertEquals(20250101000000L, p.previous.get(0).timestamp);
		assertEquals(s.previous.get(0).checksum, p.previous.get(0).checksum);
	}

	@Test
	void emptySiteIsValidToo() throws Exception {
		Path db = tmp.resolve("db.xml.gz");
		DbXml.write(List.of(), db);
		try (InputStream in = new GZIPInputStream(Files.newInputStream(db))) {
			validate(in);
		}
		assertTrue(DbXml.read(db).isEmpty());
	}

	@Test
	void controlCharactersThatXmlCannotHoldAreRefused() {
		Plugin p = new Plugin("jars/a-1.0.jar");
		p.version = new Version("c", 20260101000000L, 1);
		p.description = "bell\u0007";
		assertThrows(IllegalArgumentException.class, () -> DbXml.toXml(List.of(p)));
	}

	private static String text(Element parent, String tag) {
		NodeList list = parent.getElementsByTagName(tag);
		assertEquals(1, list.getLength(), tag);
		return list.item(0).getTextContent();
	}

	@Test
	void obsoleteRecordHasNoVersion() throws Exception {
		Plugin obsolete = new Plugin("jars/old-1.0.jar");
		obsolete.previous.add(new PreviousVersion("jars/old-1.0.jar", "b", 20240101000000L, 20260101000000L));
		Path db = tmp.resolve("db.xml.gz");
		DbXml.write(List.of(obsolete), db);
		Plugin read = DbXml.read(db).get(0);
		assertNull(read.version);
		assertEquals(1, read.previous.size());
		assertThrows(IllegalStateException.class, read::siteFilename);
	}
}
