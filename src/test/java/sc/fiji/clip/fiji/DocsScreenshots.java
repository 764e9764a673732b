package sc.fiji.clip.fiji;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.text.TextWindow;
import java.awt.Component;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Scrollbar;
import java.awt.Window;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.scijava.Context;
import org.scijava.command.CommandService;
import sc.fiji.clip.demo.ShapesDataset;
import sc.fiji.clip.fiji.macro.CommandDialog;
import sc.fiji.clip.fiji.macro.MacroCommandBridge;

/**
 * Screenshots for the docs, taken on a display (an Xvfb server will do) in plain ImageJ 1 with the macro bridge: the
 * dialogs of the four commands as chosen from the menu, filled with example values, then the plot and the log table
 * of a small real training (the {@code demo} preset on synthetic shapes, well under a minute on 2 cores) and the
 * {@code CLIP Labels} table of labelling a few held-back shapes with the model just trained. Not a unit test:
 * {@code java -cp ... sc.fiji.clip.fiji.DocsScreenshots [docs]} (README, "Fiji").
 */
public final class DocsScreenshots {

	private static final long TIMEOUT_MS = 30_000;

	private final Robot robot;
	private final Path docs;

	private DocsScreenshots(Path docs) throws Exception {
		this.robot = new Robot();
		this.docs = docs;
	}

	public static void main(String[] args) throws Exception {
		if (GraphicsEnvironment.isHeadless()) {
			System.err.println("DocsScreenshots needs a display, e.g.: Xvfb :99 -screen 0 1600x1200x24 & DISPLAY=:99 java ...");
			System.exit(2);
		}
		Path docs = Paths.get(args.length > 0 ? args[0] : "docs");
		Files.createDirectories(docs);
		new ImageJ(ImageJ.NO_SHOW);
		Context context = new Context(CommandService.class);
		MacroCommandBridge.install(context);
		Path work = Files.createTempDirectory("clip-screenshots");
		try {
			new DocsScreenshots(docs).run(work);
		} finally {
			context.dispose();
			try (Stream<Path> files = Files.walk(work)) {
				files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
		System.exit(0);
	}

	private void run(Path work) throws Exception {
		dialog("Train CLIP Model...", TrainModelCommand.class, options("folder", "/data/cells", "model",
			"/models/cells.zip", "preset", "small", "epochs", "10", "batch", "64", "lr", "0.0005", "validation", "0.1"),
			"dialog-train.png");
		dialog("Label Images...", LabelImagesCommand.class, options("model", "/models/cells.zip", "labels",
			"mitosis, interphase, apoptosis", "topk", "2", "slicelabels", "true"), "dialog-label.png");
		dialog("Color from Text...", ColorFromTextCommand.class, options("model", "/models/clip-vit-base-patch32",
			"prompts", "the color of a banana|the color of the sky", "colors", "1"), "dialog-color.png");
		dialog("Model Info...", ModelInfoCommand.class, options("model", "/models/cells.zip"), "dialog-info.png");
		dialog("Set Up GPU...", SetUpGpuCommand.class, options(), "dialog-gpu.png");

		Path data = ShapesDataset.write(work.resolve("shapes"), 800, 32, 1);
		Path model = work.resolve("shapes.zip");
		long start = System.nanoTime();
		IJ.run("Train CLIP Model...", "folder=[" + data + "] model=[" + model + "] preset=demo epochs=12"
			+ " device=cpu results=false");
		System.out.printf("trained in %.0f s%n", (System.nanoTime() - start) / 1e9);
		capture(await(() -> window(WindowManager.getImage("CLIP training shapes.zip"))), "training-plot.png");
		capture(await(() -> WindowManager.getWindow("CLIP Training Log")), "training-table.png");

		labelHeldBackShapes(work.resolve("held-back"), model);
		capture(await(() -> WindowManager.getWindow(LabelImagesCommand.TABLE)), "labels-table.png");
	}

	/** Opens the command's dialog as the menu does, with {@code values} filled in; captures it; cancels it. */
	private void dialog(String command, Class<?> type, Map<String, String> values, String png) throws Exception {
		CommandDialog.offer(type.getName(), values);
		IJ.doCommand(command); // on its own thread, without macro options: the bridge asks in a dialog
		GenericDialog dialog = await(() -> {
			GenericDialog d = GenericDialog.getInstance();
			return d != null && d.isShowing() ? d : null;
		});
		capture(dialog, png);
		EventQueue.invokeAndWait(() -> dialog.dispatchEvent(new WindowEvent(dialog, WindowEvent.WINDOW_CLOSING)));
		await(() -> GenericDialog.getInstance() == null && !dialog.isShowing() ? Boolean.TRUE : null);
	}

	/** Labels a stack of a few new shapes with the model just trained, against the captions they have. */
	private static void labelHeldBackShapes(Path dir, Path model) throws Exception {
		ShapesDataset.write(dir, 6, 32, 7);
		List<String> lines = Files.readAllLines(dir.resolve("captions.csv"));
		Set<String> labels = new LinkedHashSet<>();
		ImageStack stack = new ImageStack(32, 32);
		for (String line : lines.subList(1, lines.size())) {
			String[] f = line.split(",", 2);
			String caption = f[1].replace("\"", "").trim();
			labels.add(caption);
			stack.addSlice(caption, IJ.openImage(dir.resolve(f[0]).toString()).getProcessor());
		}
		List<String> sorted = new ArrayList<>(labels);
		Collections.sort(sorted);
		ImagePlus shapes = new ImagePlus("held-back shapes", stack);
		shapes.show();
		await(() -> shapes.getWindow() != null && shapes.getWindow().isShowing() ? Boolean.TRUE : null);
		IJ.run("Label Images...", "model=[" + model + "] images=[current image] folder=[] labels=["
			+ String.join(",", sorted) + "] topk=2 slicelabels=false device=cpu results=false");
	}

	private void capture(Window window, String png) throws Exception {
		if (window instanceof TextWindow) fitRows((TextWindow) window);
		EventQueue.invokeAndWait(window::toFront);
		Thread.sleep(1000); // let the window manager place it and AWT paint it
		EventQueue.invokeAndWait(() -> {});
		robot.waitForIdle();
		Rectangle bounds = window.getBounds();
		BufferedImage image = robot.createScreenCapture(bounds);
		Path out = docs.resolve(png);
		ImageIO.write(image, "png", out.toFile());
		System.out.println("wrote " + out + " (" + bounds.width + "x" + bounds.height + ")");
	}

	/** Makes a table window just tall enough for all its rows (ImageJ opens tables at a fixed height). */
	private static void fitRows(TextWindow window) throws Exception {
		Scrollbar bar = null;
		for (Component c : window.getTextPanel().getComponents()) {
			if (c instanceof Scrollbar && ((Scrollbar) c).getOrientation() == Scrollbar.VERTICAL) bar = (Scrollbar) c;
		}
		if (bar == null) return;
		int width = window.getWidth();
		for (int height = 100; height < 1000; height += 2) {
			int h = height;
			EventQueue.invokeAndWait(() -> {
				window.setSize(width, h);
				window.validate();
			});
			if (bar.getVisibleAmount() >= bar.getMaximum()) return;
		}
	}

	private static Window window(ImagePlus imp) {
		return imp == null ? null : imp.getWindow();
	}

	private static <T> T await(Supplier<T> condition) throws InterruptedException {
		long end = System.currentTimeMillis() + TIMEOUT_MS;
		while (System.currentTimeMillis() < end) {
			T value = condition.get();
			if (value != null) return value;
			Thread.sleep(50);
		}
		throw new IllegalStateException("timed out waiting for a window");
	}

	private static Map<String, String> options(String... keysAndValues) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
		return map;
	}
}
