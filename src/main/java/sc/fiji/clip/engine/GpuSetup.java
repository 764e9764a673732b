package sc.fiji.clip.engine;

import ai.djl.util.ClassLoaderUtils;
import ai.djl.util.Utils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import sc.fiji.clip.ClipException;

/**
 * Downloads, only when called, the CUDA build of libtorch that DJL's PyTorch engine matches into DJL's cache, with
 * the files and folder name DJL's own download gives it ({@code LibUtils.downloadPyTorch} in DJL 0.35.1:
 * {@code <url>/2.7.1/files.txt} lists gzipped files, {@code cu128/linux-x86_64/native/lib/NAME.gz}, which land
 * unpacked in {@code <cache>/2.7.1-cu128-linux-x86_64/}), plus the JNI library of that flavour: from the pytorch-jni
 * jar when it holds it, else from where DJL downloads it. Everything goes to a temporary folder in the cache that is
 * moved into place at the end, so a failed, cancelled or killed set-up leaves nothing behind. {@link LibtorchChoice}
 * picks the folder up at the next engine start.
 */
public final class GpuSetup {

	/** DJL's download site for libtorch builds (hard-coded in DJL; here a mirror may replace it). */
	public static final String DEFAULT_URL = "https://publish.djl.ai/pytorch";
	/** Environment variable or system property naming a mirror of {@link #DEFAULT_URL} (http, https or file). */
	public static final String URL_SETTING = "FIJI_CLIP_LIBTORCH_URL";

	private static final Pattern CUDA_FLAVOR = Pattern.compile("cu\\d{3}");
	private static final int CONNECT_TIMEOUT_MS = 30_000;
	private static final int READ_TIMEOUT_MS = 120_000;
	private static final long REPORT_EVERY = 1 << 20;

	private final LibtorchBuild build;
	private final Path cacheDir;
	private final String baseUrl;

	/** Sets up {@code build} in {@code cacheDir} (DJL's engine cache, {@code ~/.djl.ai/pytorch}) from {@code baseUrl}. */
	public GpuSetup(LibtorchBuild build, Path cacheDir, String baseUrl) {
		this.build = build;
		this.cacheDir = cacheDir.toAbsolutePath();
		String u = baseUrl.trim();
		while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
		this.baseUrl = u;
	}

	/** This engine's build and DJL's cache; {@code url} blank: {@value #URL_SETTING} or {@link #DEFAULT_URL}. */
	public static GpuSetup defaults(String url) {
		String u = url == null || url.isBlank() ? Utils.getEnvOrSystemProperty(URL_SETTING, DEFAULT_URL) : url;
		return new GpuSetup(LibtorchBuild.current(), ClipEngine.cacheDir(), u);
	}

	/** The flavour to set up when none is given: {@code PYTORCH_FLAVOR} if it names a CUDA flavour, else cu128. */
	public static String defaultFlavor() {
		String env = Utils.getEnvOrSystemProperty(LibtorchChoice.FLAVOR);
		return env != null && CUDA_FLAVOR.matcher(env).matches() ? env : LibtorchChoice.CUDA_FLAVOR;
	}

	public LibtorchBuild build() {
		return build;
	}

	public Path cacheDir() {
		return cacheDir;
	}

	public String baseUrl() {
		return baseUrl;
	}

	/** The index of files DJL publishes for this libtorch version. */
	public String indexUrl() {
		return baseUrl + "/" + build.version() + "/files.txt";
	}

	/** Where the flavour goes: {@code <cache>/2.7.1-cu128-linux-x86_64}. */
	public Path folder(String flavor) {
		return build.folder(cacheDir, flavor);
	}

	/** Whether the flavour's folder is complete (libtorch and the JNI library). */
	public boolean isSetUp(String flavor) {
		return LibtorchChoice.isComplete(build, folder(flavor));
	}

	/** What the next engine start in a JVM with this cache will load, and why. */
	public LibtorchChoice nextChoice() {
		return LibtorchChoice.choose(LibtorchChoice.observe(build, cacheDir));
	}

	/**
	 * Reads the index and the sizes of the flavour's files (network: the index and one HEAD request per file), and
	 * says where they would go; downloads nothing else and writes nothing.
	 */
	public Plan plan(String flavor, SetupProgress progress) {
		checkFlavor(flavor);
		try {
			progress.message("Reading " + indexUrl());
			List<String> index = readIndex();
			String prefix = flavor + "/" + build.classifier() + "/";
			List<Remote> files = new ArrayList<>();
			TreeSet<String> flavors = new TreeSet<>();
			for (String line : index) {
				String[] parts = line.split("/");
				if (parts.length > 2 && parts[1].equals(build.classifier()) && CUDA_FLAVOR.matcher(parts[0]).matches()) {
					flavors.add(parts[0]);
				}
				if (!line.startsWith(prefix) || !line.endsWith(".gz")) continue;
				String encoded = line.substring(line.lastIndexOf('/') + 1, line.length() - 3);
				String name = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
				if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
					throw new ClipException("The libtorch index " + indexUrl() + " lists a file with an unusable name, '" + line
						+ "'. Check the mirror given with --url or " + URL_SETTING + ".");
				}
				files.add(new Remote(baseUrl + "/" + build.version() + "/" + line, name, -1));
			}
			if (files.isEmpty()) {
				throw new ClipException("The libtorch index " + indexUrl() + " has no " + flavor + " build for " + build.classifier()
					+ "; it lists " + (flavors.isEmpty() ? "none for this platform" : String.join(", ", flavors)) + ". Give one of those "
					+ "as the flavour (--flavor, flavor= in Fiji, or " + LibtorchChoice.FLAVOR + ").");
			}
			if (files.stream().noneMatch(r -> r.name.equals(build.torchLibrary()))) {
				throw new ClipException("The libtorch index " + indexUrl() + " lists no " + build.torchLibrary() + " for " + flavor + "/"
					+ build.classifier() + ". Check the mirror given with --url or " + URL_SETTING + ".");
			}
			List<Remote> sized = new ArrayList<>();
			for (Remote r : files) {
				if (progress.isCancelled()) throw cancelled();
				sized.add(new Remote(r.url, r.name, remoteSize(r.url)));
			}
			String jniResource = jniResource(flavor);
			Remote jni = jniResource != null ? new Remote("jar:" + jniResource, build.jniFileName(), -1)
				: new Remote(baseUrl + "/" + build.version() + "/jnilib/" + build.djlVersion() + "/" + build.classifier() + "/"
					+ flavor + "/" + build.jniLibrary(), build.jniFileName(), -1);
			if (jniResource == null) jni = new Remote(jni.url, jni.name, remoteSize(jni.url));
			return new Plan(flavor, folder(flavor), sized, jni);
		} catch (Failure f) {
			throw f.explain(this, flavor, -1);
		}
	}

	/**
	 * Downloads the flavour into DJL's cache unless it is there already; reports progress and stops when asked,
	 * leaving nothing behind. Without network a {@link ClipException} says what it tried and what else to do.
	 */
	public Result install(String flavor, SetupProgress progress) {
		checkFlavor(flavor);
		Path target = folder(flavor);
		if (isSetUp(flavor)) {
			progress.message("libtorch " + build.version() + " " + flavor + " is already set up in " + target + ".");
			return new Result(flavor, target, 0, 0, true);
		}
		Plan plan = plan(flavor, progress);
		long total = plan.totalBytes();
		progress.message("Downloading libtorch " + build.version() + " " + flavor + " (" + plan.files.size() + " files"
			+ (total > 0 ? ", " + size(total) : "") + ") from " + baseUrl + " into " + target);
		Path tmp = null;
		Thread cleanup = null;
		try {
			try {
				Files.createDirectories(cacheDir);
				tmp = Files.createTempDirectory(cacheDir, "fiji-clip-gpu-setup-");
			} catch (IOException e) {
				throw new Failure(null, cacheDir, e);
			}
			Path created = tmp;
			cleanup = new Thread(() -> deleteTree(created), "fiji-clip gpu-setup cleanup");
			Runtime.getRuntime().addShutdownHook(cleanup);
			long done = 0;
			for (Remote r : plan.files) {
				done += fetch(r.url, tmp.resolve(r.name), true, done, total, r.name, progress);
			}
			Path jni = tmp.resolve(plan.jni.name);
			if (plan.jni.url.startsWith("jar:")) {
				copyResource(plan.jni.url.substring(4), jni);
			} else {
				done += fetch(plan.jni.url, jni, false, done, total, build.jniLibrary(), progress);
			}
			if (Files.exists(target)) deleteTree(target); // an incomplete folder from an earlier attempt
			try {
				Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, target);
			} catch (IOException e) {
				if (!LibtorchChoice.isComplete(build, target)) throw new Failure(null, target, e); // else set up meanwhile
			}
			progress.message("libtorch " + build.version() + " " + flavor + " is set up in " + target + ".");
			return new Result(flavor, target, plan.files.size() + 1, done, false);
		} catch (Failure f) {
			throw f.explain(this, flavor, total);
		} catch (IOException e) {
			throw new Failure(null, target, e).explain(this, flavor, total);
		} finally {
			if (tmp != null) deleteTree(tmp);
			if (cleanup != null) {
				try {
					Runtime.getRuntime().removeShutdownHook(cleanup);
				} catch (IllegalStateException e) {
					// shutting down: the hook deletes the temporary folder
				}
			}
		}
	}

	/** {@code 812.3 MB}, {@code 2.61 GB}. */
	public static String size(long bytes) {
		return bytes < 1e9 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1e6) : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
	}

	private void checkFlavor(String flavor) {
		if (flavor == null || !CUDA_FLAVOR.matcher(flavor).matches()) {
			throw new ClipException("Unknown flavour '" + flavor + "' for the GPU set-up: give a CUDA flavour such as "
				+ LibtorchChoice.CUDA_FLAVOR + " (--flavor, flavor= in Fiji, or " + LibtorchChoice.FLAVOR + "). DJL publishes "
				+ LibtorchChoice.CUDA_FLAVOR + " for libtorch " + build.version() + ".");
		}
	}

	private List<String> readIndex() throws Failure {
		String url = indexUrl();
		URLConnection c = open(url, "GET");
		List<String> lines = new ArrayList<>();
		try (InputStream in = c.getInputStream()) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
				if (!line.isBlank()) lines.add(line.trim());
			}
		} catch (IOException e) {
			throw new Failure(url, null, e);
		}
		return lines;
	}

	private static long remoteSize(String url) throws Failure {
		URLConnection c = open(url, "HEAD");
		long length = c.getContentLengthLong();
		if (c instanceof HttpURLConnection) ((HttpURLConnection) c).disconnect();
		else closeQuietly(c);
		return length;
	}

	private static URLConnection open(String url, String method) throws Failure {
		try {
			URLConnection c = new URL(url).openConnection();
			c.setConnectTimeout(CONNECT_TIMEOUT_MS);
			c.setReadTimeout(READ_TIMEOUT_MS);
			if (c instanceof HttpURLConnection) {
				HttpURLConnection h = (HttpURLConnection) c;
				h.setRequestMethod(method);
				h.setRequestProperty("User-Agent", "fiji-clip gpu-setup");
				int code = h.getResponseCode();
				if (code >= 400) {
					String message = h.getResponseMessage();
					h.disconnect();
					throw new IOException("HTTP " + code + (message != null ? " " + message : ""));
				}
			} else {
				c.connect();
			}
			return c;
		} catch (IOException e) {
			throw new Failure(url, null, e);
		}
	}

	private static void closeQuietly(URLConnection c) {
		try {
			c.getInputStream().close();
		} catch (IOException e) {
			// nothing to close
		}
	}

	/** Copies one URL to {@code to} (gunzipping it), reporting compressed bytes; returns the bytes read. */
	private static long fetch(String url, Path to, boolean gunzip, long before, long total, String label, SetupProgress progress)
		throws Failure {
		URLConnection c = open(url, "GET");
		long expected = c.getContentLengthLong();
		long[] count = { 0 };
		try (InputStream raw = c.getInputStream()) {
			InputStream counted = new InputStream() {
				@Override
				public int read() throws IOException {
					int b = raw.read();
					if (b >= 0) count[0]++;
					return b;
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					int n = raw.read(b, off, len);
					if (n > 0) count[0] += n;
					return n;
				}
			};
			InputStream in;
			try {
				in = gunzip ? new GZIPInputStream(counted, 1 << 16) : counted;
			} catch (IOException e) {
				throw new Failure(url, null, e);
			}
			OutputStream out;
			try {
				out = Files.newOutputStream(to);
			} catch (IOException e) {
				throw new Failure(null, to, e);
			}
			try (OutputStream o = out) {
				byte[] buffer = new byte[1 << 16];
				long reported = 0;
				while (true) {
					if (progress.isCancelled()) throw cancelled();
					int n;
					try {
						n = in.read(buffer);
					} catch (IOException e) {
						throw new Failure(url, null, e);
					}
					if (n < 0) break;
					try {
						o.write(buffer, 0, n);
					} catch (IOException e) {
						throw new Failure(null, to, e);
					}
					if (count[0] - reported >= REPORT_EVERY) {
						reported = count[0];
						progress.download(before + reported, total, label);
					}
				}
			} catch (IOException e) {
				throw e instanceof Failure ? (Failure) e : new Failure(null, to, e); // else closing the file failed
			}
		} catch (IOException e) {
			throw e instanceof Failure ? (Failure) e : new Failure(url, null, e);
		}
		if (expected >= 0 && count[0] != expected) {
			throw new Failure(url, null, new IOException("the download stopped after " + count[0] + " of " + expected + " bytes"));
		}
		progress.download(before + count[0], total, label);
		return count[0];
	}

	private String jniResource(String flavor) {
		String path = "jnilib/" + build.classifier() + "/" + flavor + "/" + build.jniLibrary();
		try {
			URL props = resource("jnilib/pytorch.properties");
			if (props == null || resource(path) == null) return null;
			Properties p = new Properties();
			try (InputStream in = props.openStream()) {
				p.load(in);
			}
			String jni = p.getProperty("jni_version", "");
			return jni.startsWith(build.version() + "-" + build.djlVersion()) ? path : null;
		} catch (IOException e) {
			return null;
		}
	}

	private static URL resource(String path) throws IOException {
		URL url = GpuSetup.class.getClassLoader().getResource(path);
		return url != null ? url : ClassLoaderUtils.getResource(path);
	}

	private static void copyResource(String path, Path to) throws Failure {
		try (InputStream in = resource(path).openStream()) {
			Files.copy(in, to);
		} catch (IOException e) {
			throw new Failure(null, to, e);
		}
	}

	private static ClipException cancelled() {
		return new Cancelled();
	}

	static void deleteTree(Path dir) {
		if (!Files.exists(dir)) return;
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.deleteIfExists(p);
				} catch (IOException e) {
					// best effort
				}
			});
		} catch (IOException e) {
			// best effort
		}
	}

	/** A download or a write that failed; {@link #explain} turns it into the user's message. */
	private static final class Failure extends IOException {

		private static final long serialVersionUID = 1L;
		private final String url;
		private final Path path;

		Failure(String url, Path path, IOException cause) {
			super(cause.getMessage(), cause);
			this.url = url;
			this.path = path;
		}

		ClipException explain(GpuSetup s, String flavor, long total) {
			String what = "libtorch " + s.build.version() + " " + flavor;
			Path target = s.folder(flavor);
			if (url == null) {
				return new ClipException("Could not write " + what + " to " + path + ": " + describe((IOException) getCause())
					+ ". Free some space (a CUDA libtorch takes several GB) or move DJL's cache with DJL_CACHE_DIR (or "
					+ "ENGINE_CACHE_DIR); nothing was left in " + s.cacheDir + ".", this);
			}
			return new ClipException("Could not download " + what + " from " + url + ": " + describe((IOException) getCause())
				+ ". Setting up the GPU needs the internet once" + (total > 0 ? " (" + size(total) + ")" : "")
				+ ", or a mirror of " + DEFAULT_URL + " (its " + s.build.version() + "/files.txt and the files listed there) "
				+ "given with --url, url= in Fiji or " + URL_SETTING + "; nothing was written to " + s.cacheDir + ". Without internet, set " + LibtorchChoice.LIBRARY_PATH + " to the "
				+ "lib folder of a PyTorch " + s.build.version() + " CUDA install (site-packages/torch/lib after pip install torch=="
				+ s.build.version() + "), or copy the folder " + target.getFileName() + " from the engine cache of a machine where "
				+ "the set-up ran into " + s.cacheDir + ".", this);
		}

		private static String describe(IOException e) {
			String m = e.getMessage();
			if (e instanceof UnknownHostException) return "unknown host " + m + " (no network or no name service)";
			if (e instanceof ConnectException) return "could not connect (" + m + ")";
			if (e instanceof SocketTimeoutException) return "no answer in time (" + m + ")";
			if (e instanceof FileNotFoundException) return "not found (" + m + ")";
			if (e instanceof ZipException) return "the file is damaged (" + m + ")";
			return m != null ? m : e.getClass().getSimpleName();
		}
	}

	/** Thrown when the listener cancels; nothing was left behind. */
	public static final class Cancelled extends ClipException {

		private static final long serialVersionUID = 1L;

		Cancelled() {
			super("The GPU set-up was cancelled; nothing was left in DJL's cache.");
		}
	}

	/** One file to download: its URL, its name once unpacked, its compressed size (-1 unknown). */
	public static final class Remote {

		final String url;
		final String name;
		final long bytes;

		Remote(String url, String name, long bytes) {
			this.url = url;
			this.name = name;
			this.bytes = bytes;
		}

		public String url() {
			return url;
		}

		public String name() {
			return name;
		}

		public long bytes() {
			return bytes;
		}
	}

	/** What a set-up downloads and where it puts it. */
	public static final class Plan {

		final String flavor;
		final Path folder;
		final List<Remote> files;
		final Remote jni;

		Plan(String flavor, Path folder, List<Remote> files, Remote jni) {
			this.flavor = flavor;
			this.folder = folder;
			this.files = Collections.unmodifiableList(files);
			this.jni = jni;
		}

		public String flavor() {
			return flavor;
		}

		public Path folder() {
			return folder;
		}

		/** libtorch's files (gzipped on the server). */
		public List<Remote> files() {
			return files;
		}

		/** The JNI library: {@code jar:jnilib/...} from the pytorch-jni jar, or a URL. */
		public Remote jni() {
			return jni;
		}

		/** Bytes to download, or -1 when the server does not say for some file. */
		public long totalBytes() {
			long sum = 0;
			for (Remote r : files) {
				if (r.bytes < 0) return -1;
				sum += r.bytes;
			}
			if (!jni.url.startsWith("jar:")) {
				if (jni.bytes < 0) return -1;
				sum += jni.bytes;
			}
			return sum;
		}

		/** One line per file and the target, for a dry run. */
		public List<String> lines() {
			List<String> lines = new ArrayList<>();
			for (Remote r : files) lines.add(String.format(Locale.ROOT, "%10s  %s", megabytes(r.bytes), r.url));
			lines.add(String.format(Locale.ROOT, "%10s  %s", jni.url.startsWith("jar:") ? "(jar)" : megabytes(jni.bytes), jni.url));
			long total = totalBytes();
			lines.add(String.format(Locale.ROOT, "%10s  total, %d files, unpacked into %s", megabytes(total), files.size() + 1, folder));
			return lines;
		}

		private static String megabytes(long bytes) {
			return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
		}
	}

	/** Where a set-up went. */
	public static final class Result {

		final String flavor;
		final Path folder;
		final int files;
		final long bytes;
		final boolean alreadySetUp;

		Result(String flavor, Path folder, int files, long bytes, boolean alreadySetUp) {
			this.flavor = flavor;
			this.folder = folder;
			this.files = files;
			this.bytes = bytes;
			this.alreadySetUp = alreadySetUp;
		}

		public String flavor() {
			return flavor;
		}

		public Path folder() {
			return folder;
		}

		/** Files written, 0 when it was set up already. */
		public int files() {
			return files;
		}

		/** Bytes downloaded. */
		public long bytes() {
			return bytes;
		}

		/** Whether the folder was complete before, so nothing was downloaded. */
		public boolean alreadySetUp() {
			return alreadySetUp;
		}
	}
}
