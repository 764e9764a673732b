package sc.fiji.clip.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny stand-in for {@code https://publish.djl.ai/pytorch} on localhost, laid out as DJL 0.35.1 expects:
 * {@code /2.7.1/files.txt} listing gzipped files {@code <flavor>/<platform>/native/lib/<name>.gz}, and JNI libraries
 * under {@code /2.7.1/jnilib/0.35.1/<platform>/<flavor>/}. Records every request ({@code GET /2.7.1/files.txt}).
 */
public final class FakeLibtorchSite implements AutoCloseable {

	/** Unpacked contents by flavour/platform/name, as they should land. */
	public final Map<String, byte[]> files = new LinkedHashMap<>();
	private final Map<String, byte[]> served = new LinkedHashMap<>();
	private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
	private HttpServer server;

	/** A site with cpu, cu126 and cu128 builds for linux-x86_64 (cu128 with a 3 MB libtorch_cuda.so) and one for win. */
	public static FakeLibtorchSite standard() {
		FakeLibtorchSite site = new FakeLibtorchSite();
		site.add("cpu/linux-x86_64", "libtorch.so", text("cpu torch"));
		site.add("cu128/linux-x86_64", "libc10.so", text("c10 for cu128"));
		site.add("cu128/linux-x86_64", "libtorch.so", text("torch for cu128"));
		site.add("cu128/linux-x86_64", "libtorch_cuda.so", random(3_000_000, 1));
		site.add("cu128/linux-x86_64", "libstdc++.so.6", text("a name that is URL-encoded in the index"));
		site.add("cu126/linux-x86_64", "libtorch.so", text("torch for cu126"));
		site.add("cu128/win-x86_64", "torch.dll", text("windows"));
		site.serve("/2.7.1/jnilib/0.35.1/linux-x86_64/cu126/libdjl_torch.so", text("jni for cu126"));
		return site;
	}

	/** Adds a file to the index and serves it gzipped. */
	public void add(String flavorPlatform, String name, byte[] content) {
		files.put(flavorPlatform + "/" + name, content);
		served.put("/2.7.1/" + flavorPlatform + "/native/lib/" + encode(name) + ".gz", gzip(content));
	}

	/** Serves {@code content} at {@code path} as it is. */
	public void serve(String path, byte[] content) {
		served.put(path, content);
	}

	/** The index DJL reads: one line per gzipped file. */
	public String index() {
		StringBuilder s = new StringBuilder();
		for (String path : served.keySet()) {
			if (path.endsWith(".gz")) s.append(path.substring("/2.7.1/".length())).append('\n');
		}
		return s.toString();
	}

	/** The gzipped bytes served for a file added with {@link #add}. */
	public byte[] servedGz(String flavorPlatform, String name) {
		return served.get("/2.7.1/" + flavorPlatform + "/native/lib/" + encode(name) + ".gz");
	}

	/** Starts serving on a free port of localhost; returns the base URL ({@code http://127.0.0.1:PORT}). */
	public String start() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getRawPath();
			requests.add(exchange.getRequestMethod() + " " + path);
			byte[] body = path.equals("/2.7.1/files.txt") ? index().getBytes(StandardCharsets.UTF_8) : served.get(path);
			if (body == null) {
				exchange.sendResponseHeaders(404, -1);
			} else if (exchange.getRequestMethod().equals("HEAD")) {
				exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
				exchange.sendResponseHeaders(200, -1);
			} else {
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		server.start();
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Writes the site as files under {@code dir}, named as their URLs decode ({@code libstdc++.so.6.gz}), for a {@code file:} mirror. */
	public void writeTo(Path dir) throws IOException {
		Map<String, byte[]> all = new LinkedHashMap<>(served);
		all.put("/2.7.1/files.txt", index().getBytes(StandardCharsets.UTF_8));
		for (Map.Entry<String, byte[]> e : all.entrySet()) {
			Path file = dir.resolve(URLDecoder.decode(e.getKey().substring(1), StandardCharsets.UTF_8));
			Files.createDirectories(file.getParent());
			Files.write(file, e.getValue());
		}
	}

	/** Requests so far, {@code "GET /2.7.1/files.txt"}. */
	public List<String> requests() {
		synchronized (requests) {
			return new ArrayList<>(requests);
		}
	}

	@Override
	public void close() {
		if (server != null) server.stop(0);
	}

	/** A URL on localhost where nothing listens: connections are refused at once. */
	public static String closedUrl() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return "http://127.0.0.1:" + socket.getLocalPort();
		}
	}

	public static byte[] text(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	public static byte[] random(int size, long seed) {
		byte[] b = new byte[size];
		new Random(seed).nextBytes(b);
		return b;
	}

	private static String encode(String name) {
		return name.replace("+", "%2B");
	}

	private static byte[] gzip(byte[] content) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
			gz.write(content);
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
		return bytes.toByteArray();
	}
}
