package sc.fiji.clip.fiji.macro;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.scijava.Context;
import org.scijava.MenuEntry;
import org.scijava.MenuPath;
import org.scijava.UIDetails;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;

import ij.Menus;

/**
 * Makes SciJava commands runnable from ImageJ 1 macros without ImageJ-legacy:
 * {@code run("Label Images...", "model=[/p/m.zip] labels=[a,b]")} runs the command whose menu path ends in
 * {@code Label Images...}.
 * <p>
 * {@link #install(Context, String)} puts each command under the menu root into ImageJ 1's command table
 * ({@code ij.Menus.getCommands()}), label (the menu path's leaf) to
 * {@code sc.fiji.clip.fiji.macro.SciJavaPlugIn("the.command.Class")}. Labels ImageJ 1 already knows, e.g. because
 * ImageJ-legacy registered them in a running Fiji, are left alone, so in Fiji the bridge does nothing.
 * {@link SciJavaPlugIn} then reads the macro options by parameter name and runs the command in the installing
 * {@link Context}.
 * <p>
 * ImageJ 1 must be set up first: {@link HeadlessImageJ#boot()} when headless.
 */
public final class MacroCommandBridge {

	/** The menu under which this project's commands live. */
	public static final String DEFAULT_MENU_ROOT = "Plugins>CLIP";

	private static final Map<String, Registration> REGISTRY = new ConcurrentHashMap<>();

	private static volatile boolean strict;

	private MacroCommandBridge() {}

	/**
	 * Strict mode: a run whose options leave out an input fails, naming it, instead of taking a remembered or default
	 * value (headless) or asking in a dialog (with a display). For checking that macros give every input as Fiji's
	 * Recorder writes them, so that in Fiji no dialog opens in the middle of a batch.
	 */
	public static void setStrict(boolean on) {
		strict = on;
	}

	/** Whether {@link #setStrict strict mode} is on. */
	public static boolean isStrict() {
		return strict;
	}

	/** {@link #install(Context, String)} for {@link #DEFAULT_MENU_ROOT}. */
	public static List<String> install(Context context) {
		return install(context, DEFAULT_MENU_ROOT);
	}

	/**
	 * Registers the commands of {@code context} whose application menu path starts with {@code menuRoot} (menu names
	 * separated by {@code >}) in ImageJ 1's command table. Installing again, e.g. with a new context, re-points the
	 * bridge's own entries at it.
	 *
	 * @return the labels registered, in the command service's order
	 * @throws IllegalStateException if ImageJ 1's command table does not exist yet
	 */
	public static synchronized List<String> install(Context context, String menuRoot) {
		List<String> root = menuNames(menuRoot);
		CommandService commandService = context.service(CommandService.class);
		Hashtable<String, String> commands = commandTable();
		List<String> installed = new ArrayList<>();
		for (CommandInfo info : commandService.getCommands()) {
			if (!isUnder(info, root)) continue;
			String label = info.getMenuPath().getLeaf().getName();
			String className = info.getDelegateClassName();
			String entry = pluginEntry(className);
			String existing = commands.get(label);
			if (existing != null && !existing.equals(entry)) continue; // ImageJ 1's, ImageJ-legacy's, or a same-named command's
			commands.put(label, entry);
			REGISTRY.put(className, new Registration(context, info, label));
			installed.add(label);
		}
		return Collections.unmodifiableList(installed);
	}

	/** Removes the entries that {@link #install} made for {@code context}. */
	public static synchronized void uninstall(Context context) {
		Hashtable<String, String> commands = Menus.getCommands() == null ? null : commandTable();
		for (Iterator<Registration> it = REGISTRY.values().iterator(); it.hasNext();) {
			Registration r = it.next();
			if (r.context != context) continue;
			if (commands != null) commands.remove(r.label, pluginEntry(r.info.getDelegateClassName()));
			it.remove();
		}
	}

	/** The ImageJ 1 command table entry that runs the command class {@code className} through the bridge. */
	public static String pluginEntry(String className) {
		return SciJavaPlugIn.class.getName() + "(\"" + className + "\")";
	}

	static Registration registration(String className) {
		return REGISTRY.get(className);
	}

	@SuppressWarnings("unchecked")
	private static Hashtable<String, String> commandTable() {
		Hashtable<String, String> commands = Menus.getCommands();
		if (commands == null) {
			throw new IllegalStateException("ImageJ 1 has no command table yet; call HeadlessImageJ.boot() first");
		}
		return commands;
	}

	private static List<String> menuNames(String menuRoot) {
		List<String> names = new ArrayList<>();
		for (String s : menuRoot.split(">")) {
			if (!s.trim().isEmpty()) names.add(s.trim());
		}
		if (names.isEmpty()) throw new IllegalArgumentException("Empty menu root: '" + menuRoot + "'");
		return names;
	}

	private static boolean isUnder(CommandInfo info, List<String> root) {
		String menuRoot = info.getMenuRoot();
		if (menuRoot != null && !UIDetails.APPLICATION_MENU_ROOT.equals(menuRoot)) return false;
		MenuPath path = info.getMenuPath();
		if (path == null || path.size() <= root.size()) return false;
		for (int i = 0; i < root.size(); i++) {
			MenuEntry e = path.get(i);
			if (e == null || !root.get(i).equals(e.getName())) return false;
		}
		return true;
	}

	/** A registered command and the context to run it in. */
	static final class Registration {

		final Context context;
		final CommandInfo info;
		final String label;

		Registration(Context context, CommandInfo info, String label) {
			this.context = context;
			this.info = info;
			this.label = label;
		}

		@Override
		public String toString() {
			return label + " -> " + info.getDelegateClassName();
		}
	}
}
