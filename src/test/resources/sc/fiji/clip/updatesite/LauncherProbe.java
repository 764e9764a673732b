import ai.djl.ndarray.NDManager;
import java.util.TreeSet;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import sc.fiji.clip.engine.ClipEngine;

/**
 * Run by FijiLauncherIT in a JVM started as Fiji's launcher starts Fiji (its module path and class path): reaching
 * main at all means the boot layer accepted jars/<platform>/. Prints the CLIP commands a SciJava context finds and,
 * with the argument "engine", starts the PyTorch engine through the plugin and computes on it.
 */
public class LauncherProbe {

	public static void main(String[] args) {
		System.out.println("boot layer: " + ModuleLayer.boot().modules().size() + " modules");
		Context context = new Context(CommandService.class);
		try {
			TreeSet<String> menus = new TreeSet<>();
			for (CommandInfo info : context.service(CommandService.class).getCommands()) {
				if (info.getMenuPath() == null) continue;
				String menu = info.getMenuPath().getMenuString().replaceAll("\\s*>\\s*", ">");
				if (menu.startsWith("Plugins>CLIP>")) menus.add(menu + " = " + info.getClassName());
			}
			for (String menu : menus) System.out.println("command: " + menu);
		} finally {
			context.dispose();
		}
		if (args.length > 0 && args[0].equals("engine")) {
			ClipEngine.get();
			try (NDManager manager = NDManager.newBaseManager()) {
				float sum = manager.create(new float[] { 1, 2, 3 }).sum().getFloat();
				System.out.println("engine: " + ClipEngine.libtorchDescription() + "; sum " + sum);
			}
			System.out.println("offline: " + System.getProperty("ai.djl.offline"));
		}
	}
}
