package sc.fiji.clip.updatesite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import sc.fiji.clip.updatesite.DbXml.Dependency;
import sc.fiji.clip.updatesite.DbXml.Plugin;
import sc.fiji.clip.updatesite.DbXml.PreviousVersion;
import sc.fiji.clip.updatesite.DbXml.Version;

/**
 * Builds a ready-to-upload ImageJ update site for Fiji CLIP: the plugin jar, the dependency jars Fiji does not ship,
 * the macros, and {@code db.xml.gz}, laid out as the updater serves them ({@code <fiji path>-<timestamp>}).
 * <p>
 * Run by {@code mvn -Pupdate-site package}; see {@code update-site/README.md}. Without {@code --previous} the index
 * describes a new site; with the site's current {@code db.xml.gz} it continues that site's history as the updater's
 * upload would: unchanged files keep their version (and are not written again), replaced versions become
 * {@code <previous-version>}s, files no longer built are recorded as obsolete.
 */
public final class UpdateSiteBuilder {

	/** The timestamp format of the updater: local time, {@code yyyyMMddHHmmss}. */
	public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);

	/** Extensions the updater tracks in {@code macros/} ({@code Checksummer.directories}). */
	static final Set<String> MACRO_EXTENSIONS = Set.of(".txt", ".ijm", ".png");

	/** What to build from. */
	public static final class Config {
		/** The plugin jar, e.g. {@code target/fiji-clip-0.1.0.jar}; installed as {@code jars/<its name>}. */
		public Path pluginJar;
		/** Runtime dependencies in Maven repository layout, or {@code null}. */
		public Path dependencies;
		/** More jars in repository layout, e.g. the native jars of every platform; or {@code null}. */
		public Path natives;
		/** {@code groupId:artifactId} (or {@code groupId:*}) of the jars Fiji ships, which the site must not carry. */
		public Set<String> fijiShips = Set.of();
		/** Overrides keyed by unversioned file name: {@code <name>.description}, {@code .authors}, {@code .links}. */
		public Properties metadata = new Properties();
		/** The repository's {@code macros/} folder; may be {@code null} or absent. */
		public Path macros;
		/** The folder to write; emptied first. */
		public Path output;
		/** Upload timestamp of the new versions, {@code yyyyMMddHHmmss}. */
		public long timestamp = now();
		/** The site's current {@code db.xml.gz}, or {@code null} for a new site. */
		public Path previous;
	}

	/** What was built. */
	public static final class Result {
		/** The records of {@code db.xml.gz}, sorted by file name. */
		public final List<Plugin> plugins;
		/** Site-relative names of the files written next to {@code db.xml.gz} (to upload along with it). */
		public final List<String> written;
		/** Dependency jars left out because Fiji ships them. */
		public final List<MavenJar> excluded;
		/** Site files whose invalid {@code Automatic-Module-Name} was replaced, to the name they now declare. */
		public final Map<String, String> renamedModules;

		Result(List<Plugin> plugins, List<String> written, List<MavenJar> excluded, Map<String, String> renamedModules) {
			this.plugins = plugins;
			this.written = written;
			this.excluded = excluded;
			this.renamedModules = renamedModules;
		}

		public Plugin plugin(String unversioned) {
			return plugins.stream().filter(p -> p.unversioned().equals(unversioned)).findFirst().orElse(null);
		}
	}

	/** A file of the site before it is written. */
	private static final class Item {
		Path source;
		final Plugin plugin;
		final Set<String> dependsOn = new LinkedHashSet<>(); // unversioned names
		boolean upload = true;

		Item(String fijiPath, Path source) {
			this.source = source;
			this.plugin = new Plugin(fijiPath);
		}
	}

	private UpdateSiteBuilder() {}

	public static long now() {
		return Long.parseLong(LocalDateTime.now().format(TIMESTAMP));
	}

	/** Whether {@code jar} is in the list of what Fiji ships. */
	public static boolean shippedByFiji(MavenJar jar, Set<String> fijiShips) {
		return fijiShips.contains(jar.key()) || fijiShips.contains(jar.groupId + ":*");
	}

	/** Splits dependency jars into those the site carries and those Fiji ships. */
	public static List<MavenJar> select(List<MavenJar> jars, Set<String> fijiShips, List<MavenJar> excluded) {
		List<MavenJar> included = new ArrayList<>();
		for (MavenJar jar : jars)
			(shippedByFiji(jar, fijiShips) ? excluded : included).add(jar);
		return included;
	}

	/** Reads a list of {@code groupId:artifactId} lines; {@code #} starts a comment. */
	public static Set<String> readArtifactList(Path file) throws IOException {
		Set<String> result = new TreeSet<>();
		for (String line : Files.readAllLines(file)) {
			int hash = line.indexOf('#');
			String entry = (hash < 0 ? line : line.substring(0, hash)).trim();
			if (entry.isEmpty()) continue;
			if (entry.split(":").length != 2) throw new IOException(file + ": not groupId:artifactId: " + entry);
			result.add(entry);
		}
		return result;
	}

	public static Result build(Config config) throws IOException {
		checkTimestamp(config.timestamp);
		Map<String, Item> items = new LinkedHashMap<>(); // by unversioned name

		// the plugin
		Item main = new Item("jars/" + config.pluginJar.getFileName(), config.pluginJar);
		PomMetadata mainPom = PomMetadata.fromJar(config.pluginJar);
		describe(main.plugin, mainPom);
		add(items, main);

		// the dependencies Fiji lacks
		List<MavenJar> excluded = new ArrayList<>();
		List<MavenJar> included = select(scan(config.natives, config.dependencies), config.fijiShips, excluded);
		Map<String, List<String>> byKey = new HashMap<>(); // groupId:artifactId -> unversioned names
		Map<Item, List<String>> pomDependencies = new HashMap<>();
		for (MavenJar jar : included) {
			Item item = new Item(jar.fijiPath(), jar.jar);
			if (jar.platform() != null) item.plugin.platforms.add(jar.platform());
			PomMetadata embedded = PomMetadata.fromJar(jar.jar);
			PomMetadata side = jar.pom == null ? PomMetadata.NONE : PomMetadata.fromPom(jar.pom);
			describe(item.plugin, embedded == PomMetadata.NONE ? side : embedded);
			pomDependencies.put(item, jar.pom != null ? side.dependencies : embedded.dependencies);
			add(items, item);
			byKey.computeIfAbsent(jar.key(), k -> new ArrayList<>()).add(item.plugin.unversioned());
			main.dependsOn.add(item.plugin.unversioned());
		}
		for (Map.Entry<Item, List<String>> e : pomDependencies.entrySet())
			for (String key : e.getValue())
				e.getKey().dependsOn.addAll(byKey.getOrDefault(key, List.of()));

		// macros
		if (config.macros != null && Files.isDirectory(config.macros)) {
			for (Path file : listMacros(config.macros)) {
				String rel = config.macros.relativize(file).toString().replace('\\', '/');
				add(items, new Item("macros/" + rel, file));
			}
		}

		// jars the JVM would refuse on Fiji's --module-path (jars/<platform>/)
		Path work = Files.createTempDirectory("fiji-clip-update-site");
		try {
			return finish(config, items, main, excluded, repairModuleNames(items, work));
		}
		finally {
			clean(work);
			Files.delete(work);
		}
	}

	private static Result finish(Config config, Map<String, Item> items, Item main, List<MavenJar> excluded,
		Map<String, String> renamedModules) throws IOException
	{
		// checksums, sizes, overrides
		for (Item item : items.values()) {
			Plugin p = item.plugin;
			p.version = new Version(UpdaterChecksum.of(p.filename, item.source), config.timestamp, Files.size(item.source));
			override(p, config.metadata);
		}

		// continue the site's history
		List<Plugin> obsolete = new ArrayList<>();
		if (config.previous != null) {
			Map<String, Plugin> previous = new LinkedHashMap<>();
			for (Plugin p : DbXml.read(config.previous))
				previous.put(p.unversioned(), p);
			for (Item item : items.values()) {
				Plugin old = previous.remove(item.plugin.unversioned());
				if (old != null) item.upload = continueHistory(item.plugin, old, config.timestamp);
			}
			for (Plugin old : previous.values())
				obsolete.add(retire(old, config.timestamp));
		}

		// dependencies, now that the timestamps are final
		for (Item item : items.values()) {
			for (String name : item.dependsOn) {
				Plugin dep = items.get(name).plugin;
				item.plugin.dependencies.add(new Dependency(name, dep.version.timestamp, false));
			}
			item.plugin.dependencies.sort(Comparator.comparing(d -> d.filename));
		}

		List<Plugin> plugins = new ArrayList<>(obsolete);
		items.values().forEach(i -> plugins.add(i.plugin));
		plugins.sort(Comparator.comparing(p -> p.filename));

		// write
		clean(config.output);
		List<String> written = new ArrayList<>();
		for (Item item : items.values()) {
			if (!item.upload) continue;
			String name = item.plugin.siteFilename();
			Path target = config.output.resolve(name);
			Files.createDirectories(target.getParent());
			Files.copy(item.source, target, StandardCopyOption.COPY_ATTRIBUTES);
			written.add(name);
		}
		written.sort(null);
		DbXml.write(plugins, config.output.resolve("db.xml.gz"));
		return new Result(plugins, written, excluded, renamedModules);
	}

	/** The jars of the repository-layout folders given (either may be {@code null}), each artifact once. */
	static List<MavenJar> scan(Path... roots) throws IOException {
		Map<String, MavenJar> jars = new LinkedHashMap<>();
		for (Path root : roots)
			if (root != null && Files.exists(root))
				for (MavenJar jar : MavenJar.scan(root))
					jars.putIfAbsent(jar.toString(), jar);
		return new ArrayList<>(jars.values());
	}

	/**
	 * Gives every platform jar whose module name the JVM refuses a valid {@code Automatic-Module-Name} (a copy in
	 * {@code work}); returns the site files so changed, to their new name.
	 */
	private static Map<String, String> repairModuleNames(Map<String, Item> items, Path work) throws IOException {
		Map<String, String> renamed = new LinkedHashMap<>();
		for (Item item : items.values()) {
			if (item.plugin.platforms.isEmpty() || !item.source.toString().endsWith(".jar")) continue;
			String problem = ModuleNames.problem(item.source);
			if (problem == null) continue;
			String declared = ModuleNames.declared(item.source);
			String name = ModuleNames.repair(declared != null ? declared
				: ModuleNames.fromFileName(item.source.getFileName().toString()));
			Path copy = Files.createDirectories(work.resolve(Integer.toString(renamed.size())))
				.resolve(item.source.getFileName());
			ModuleNames.withAutomaticModuleName(item.source, copy, name);
			String left = ModuleNames.problem(copy);
			if (left != null) throw new IOException(item.plugin.filename + " cannot go on Fiji's --module-path even " +
				"as module " + name + ": " + left);
			System.out.println("[update-site] " + item.plugin.filename + ": " + problem + "; shipped with " +
				"Automatic-Module-Name: " + name + " (Fiji's launcher puts jars/<platform>/ on --module-path)");
			item.source = copy;
			renamed.put(item.plugin.filename, name);
		}
		return renamed;
	}

	private static void add(Map<String, Item> items, Item item) throws IOException {
		String key = item.plugin.unversioned();
		if (key.endsWith(".jar") && key.equals(item.plugin.filename)) throw new IOException("the updater sees no " +
			"version in " + key + ": a later version would be installed next to it instead of replacing it");
		Item other = items.putIfAbsent(key, item);
		if (other != null) throw new IOException("the updater would take " + other.plugin.filename + " and " +
			item.plugin.filename + " for versions of the same file (" + key + ")");
	}

	private static void describe(Plugin p, PomMetadata pom) {
		p.description = pom.description;
		p.authors.addAll(pom.developers);
		if (pom.url != null && !pom.url.isEmpty()) p.links.add(pom.url);
	}

	private static void override(Plugin p, Properties metadata) {
		String key = p.unversioned();
		String description = metadata.getProperty(key + ".description");
		if (description != null) p.description = description.isBlank() ? null : description.trim();
		String authors = metadata.getProperty(key + ".authors");
		if (authors != null) replace(p.authors, Arrays.asList(authors.split(",")));
		String links = metadata.getProperty(key + ".links");
		if (links != null) replace(p.links, Arrays.asList(links.split("\\s+")));
	}

	private static void replace(List<String> list, List<String> values) {
		list.clear();
		for (String v : values)
			if (!v.isBlank()) list.add(v.trim());
	}

	/**
	 * Carries the history of {@code old} over to the freshly built {@code p}. Returns whether the file has to be
	 * uploaded: not if the site already has this content under this name.
	 */
	static boolean continueHistory(Plugin p, Plugin old, long now) {
		p.previous.addAll(old.previous);
		if (old.version == null) return true;
		if (old.version.checksum.equals(p.version.checksum) && old.filename.equals(p.filename)) {
			p.version = old.version;
			return false;
		}
		if (old.previous.stream().noneMatch(v -> v.checksum.equals(old.version.checksum))) p.previous.add(
			new PreviousVersion(old.filename, old.version.checksum, old.version.timestamp, now));
		return true;
	}

	/** A file the site no longer provides: the updater offers to uninstall it. */
	static Plugin retire(Plugin old, long now) {
		if (old.version == null) return old;
		Plugin p = new Plugin(old.filename);
		p.executable = old.executable;
		p.platforms.addAll(old.platforms);
		p.categories.addAll(old.categories);
		p.previous.addAll(old.previous);
		p.previous.add(new PreviousVersion(old.filename, old.version.checksum, old.version.timestamp, now));
		return p;
	}

	/** Files of {@code macros/} the updater tracks: the extensions it knows, no hidden files. */
	static List<Path> listMacros(Path macros) throws IOException {
		try (Stream<Path> files = Files.walk(macros)) {
			List<Path> all = files.filter(Files::isRegularFile).filter(f -> !hidden(macros.relativize(f)))
				.sorted().collect(Collectors.toList());
			List<Path> tracked = new ArrayList<>();
			for (Path f : all) {
				String name = f.getFileName().toString();
				int dot = name.lastIndexOf('.');
				if (dot >= 0 && MACRO_EXTENSIONS.contains(name.substring(dot))) tracked.add(f);
				else System.err.println("[update-site] skipping " + f + ": the updater tracks only " +
					new TreeSet<>(MACRO_EXTENSIONS) + " in macros/");
			}
			return tracked;
		}
	}

	private static boolean hidden(Path rel) {
		for (Path part : rel)
			if (part.toString().startsWith(".")) return true;
		return false;
	}

	private static void checkTimestamp(long timestamp) {
		try {
			LocalDateTime.parse(Long.toString(timestamp), TIMESTAMP);
		}
		catch (RuntimeException e) {
			throw new IllegalArgumentException("not a yyyyMMddHHmmss timestamp: " + timestamp);
		}
	}

	private static void clean(Path dir) throws IOException {
		if (Files.exists(dir)) {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> {
					try {
						Files.delete(p);
					}
					catch (IOException e) {
						throw new UncheckedIOException(e);
					}
				});
			}
		}
		Files.createDirectories(dir);
	}

	// -- command line --

	/**
	 * {@code --plugin-jar=PATH --output=DIR [--dependencies=DIR] [--natives=DIR] [--fiji-ships=FILE] [--metadata=FILE]
	 * [--macros=DIR] [--timestamp=yyyyMMddHHmmss] [--previous=db.xml.gz]}; empty values count as absent.
	 */
	public static void main(String[] args) throws IOException {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			if (!arg.startsWith("--") || eq < 0) throw new IllegalArgumentException("expected --name=value: " + arg);
			String value = arg.substring(eq + 1).trim();
			if (!value.isEmpty()) options.put(arg.substring(2, eq), value);
		}
		Config config = new Config();
		config.pluginJar = Paths.get(required(options, "plugin-jar"));
		config.output = Paths.get(required(options, "output"));
		if (options.containsKey("dependencies")) config.dependencies = Paths.get(options.get("dependencies"));
		if (options.containsKey("natives")) config.natives = Paths.get(options.get("natives"));
		if (options.containsKey("fiji-ships")) config.fijiShips = readArtifactList(Paths.get(options.get("fiji-ships")));
		if (options.containsKey("metadata")) {
			try (InputStream in = Files.newInputStream(Paths.get(options.get("metadata")))) {
				config.metadata.load(in);
			}
		}
		if (options.containsKey("macros")) config.macros = Paths.get(options.get("macros"));
		if (options.containsKey("timestamp")) config.timestamp = Long.parseLong(options.get("timestamp"));
		if (options.containsKey("previous")) config.previous = Paths.get(options.get("previous"));

		Result result = build(config);
		System.out.println("[update-site] " + config.output.resolve("db.xml.gz") + ":");
		for (Plugin p : result.plugins)
			System.out.println("[update-site]   " + p.filename + (p.platforms.isEmpty() ? "" : " " + p.platforms) +
				(p.version == null ? "  (obsolete)" : "  " + p.version.timestamp + "  " + p.version.checksum));
		for (MavenJar jar : result.excluded)
			System.out.println("[update-site]   left out, Fiji ships it: " + jar);
		result.renamedModules.forEach((file, name) ->
			System.out.println("[update-site]   Automatic-Module-Name of " + file + " is now " + name));
		System.out.println("[update-site] to upload with db.xml.gz: " + result.written);
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) throw new IllegalArgumentException("--" + name + "=... is required");
		return value;
	}
}
