package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes small jars for tests. */
final class TestJars {

	private TestJars() {}

	/** Entries in the given order; {@code null} content makes a directory entry. */
	static Path jar(Path file, Map<String, String> entries) throws IOException {
		return jar(file, entries, 0L, ZipEntry.DEFLATED);
	}

	static Path jar(Path file, Map<String, String> entries, long entryTime, int method) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
			zip.setMethod(method);
			for (Map.Entry<String, String> e : entries.entrySet()) {
				byte[] bytes = e.getValue() == null ? new byte[0] : e.getValue().getBytes(StandardCharsets.UTF_8);
				ZipEntry entry = new ZipEntry(e.getKey());
				entry.setLastModifiedTime(FileTime.fromMillis(entryTime));
				if (method == ZipEntry.STORED) {
					java.util.zip.CRC32 crc = new java.util.zip.CRC32();
					crc.update(bytes);
					entry.setSize(bytes.length);
					entry.setCompressedSize(bytes.length);
					entry.setCrc(crc.getValue());
				}
				zip.putNextEntry(entry);
				zip.write(bytes);
				zip.closeEntry();
			}
		}
		return file;
	}

	static Map<String, String> entries(String... nameContent) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < nameContent.length; i += 2)
			map.put(nameContent[i], nameContent[i + 1]);
		return map;
	}

	/** A jar with the embedded POM Maven writes. */
	static Path mavenJar(Path file, String groupId, String artifactId, String pomXml, String... more)
		throws IOException
	{
		Map<String, String> entries = entries("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n");
		entries.put("META-INF/maven/" + groupId + "/" + artifactId + "/pom.xml", pomXml);
		entries.put("META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties",
			"#Created by Apache Maven\nartifactId=" + artifactId + "\n");
		entries.putAll(entries(more));
		return jar(file, entries);
	}

	static String pom(String description, String... developers) {
		StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n");
		if (description != null) sb.append("<description>").append(description).append("</description>\n");
		sb.append("<url>https://example.org/x</url>\n");
		if (developers.length > 0) {
			sb.append("<developers>");
			for (String d : developers)
				sb.append("<developer><id>x</id><name>").append(d).append("</name></developer>");
			sb.append("</developers>\n");
		}
		return sb.append("</project>\n").toString();
	}
}
