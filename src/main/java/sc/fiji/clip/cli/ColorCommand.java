package sc.fiji.clip.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorProgress;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.color.Rgb;
import sc.fiji.clip.imagej.ColorFiles;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.model.ClipModel;

/**
 * {@code fiji-clip color}: optimises a colour (a palette, or a small image) to match each prompt and writes, per
 * prompt, a folder with a swatch, the progression as a TIFF stack and the steps as CSV.
 */
@Command(name = "color", description = { "Find the colour a model matches best to a text prompt.",
	"Writes per prompt a folder with " + ColorFiles.SWATCH + ", " + ColorFiles.PROGRESSION + " (one plane per step) and "
		+ ColorFiles.CSV + "." })
final class ColorCommand implements Callable<Integer> {

	@Mixin
	CommonOptions common;

	@Option(names = "--model", required = true, description = "A model .zip or Hugging Face CLIP folder.")
	Path model;

	@Option(names = { "--prompt", "-p" }, required = true, description = "Text to match; repeat for several prompts.")
	List<String> prompts;

	@Option(names = "--steps", defaultValue = "" + ColorOptions.DEFAULT_STEPS,
		description = "Optimisation steps (default: ${DEFAULT-VALUE}).")
	int steps;

	@Option(names = "--lr", defaultValue = "" + ColorOptions.DEFAULT_LEARNING_RATE,
		description = "AdamW learning rate on the colour's logits (default: ${DEFAULT-VALUE}).")
	float learningRate;

	@Option(names = "--weight-decay", defaultValue = "0",
		description = "AdamW weight decay, pulling towards mid-grey (default: ${DEFAULT-VALUE}).")
	float weightDecay;

	@Option(names = "--colors", defaultValue = "1", description = "Palette size: colours optimised together, kept "
		+ "apart and ranked by similarity (default: ${DEFAULT-VALUE}).")
	int colors;

	@Option(names = "--size", defaultValue = "1",
		description = "Optimise an NxN image instead of one colour (default: ${DEFAULT-VALUE}).")
	int size;

	@Option(names = "--smoothness", defaultValue = "" + ColorOptions.DEFAULT_SMOOTHNESS,
		description = "Weight of the smoothness penalty of --size images (default: ${DEFAULT-VALUE}).")
	float smoothness;

	@Option(names = "--start", description = "Start from this colour (#RRGGBB) instead of searching for a start.")
	String start;

	@Option(names = "--search", defaultValue = "" + ColorOptions.DEFAULT_SEARCH, description = "Levels per channel of the "
		+ "start search: the best of N^3 colours is the start; 0 starts from mid-grey (default: ${DEFAULT-VALUE}).")
	int search;

	@Option(names = "--seed", defaultValue = "0", description = "Seed of a palette's start colours (default: ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--patience", defaultValue = "" + ColorOptions.DEFAULT_PATIENCE,
		description = "Stop after this many steps without improvement; 0 never stops early (default: ${DEFAULT-VALUE}).")
	int patience;

	@Option(names = "--swatch-size", defaultValue = "256", description = "Side of each swatch in pixels (default: ${DEFAULT-VALUE}).")
	int swatchSize;

	@Option(names = "--out", description = "Output folder (default: a new colors-<timestamp> folder here).")
	Path out;

	@Option(names = "--overwrite", description = "Write into an existing output folder, replacing files.")
	boolean overwrite;

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		PrintWriter stdout = spec.commandLine().getOut();
		ColorOptions.Builder builder = ColorOptions.builder().steps(steps).learningRate(learningRate).weightDecay(weightDecay)
			.colors(colors).size(size).smoothness(smoothness).search(search).seed(seed)
			.earlyStop(patience, ColorOptions.DEFAULT_MIN_DELTA);
		if (start != null) {
			if (spec.commandLine().getParseResult().hasMatchedOption("--search")) {
				throw new ClipException("Give --start or --search, not both: a start colour replaces the search.");
			}
			builder.start(Rgb.parse(start));
		}
		ColorOptions options = builder.build();
		if (swatchSize < Math.max(1, size) || swatchSize > 4096) {
			throw new ClipException("--swatch-size must be between the image size (" + size + ") and 4096, got "
				+ swatchSize + ".");
		}
		for (String p : prompts) {
			if (p.trim().isEmpty()) throw new ClipException("A --prompt is empty: describe the colour in words.");
		}
		Path folder = outputFolder();
		Device device = common.start();
		try (ClipModel clip = ModelFiles.load(model, device)) {
			stdout.printf(Locale.ROOT, "Optimising %d prompt%s for %d steps on %s...%n", prompts.size(),
				prompts.size() == 1 ? "" : "s", steps, device.isGpu() ? "GPU " + device.getDeviceId() : "CPU");
			stdout.flush();
			List<ColorResult> results = new ColorOptimizer(clip).optimize(prompts, options, ColorProgress.NONE);
			createFolder(folder);
			Set<String> used = new HashSet<>();
			for (ColorResult r : results) {
				Path sub = folder.resolve(uniqueSlug(r.prompt(), used));
				createFolder(sub);
				ColorFiles.write(r, sub, swatchSize);
				print(stdout, r, sub);
			}
		}
		return 0;
	}

	private static void print(PrintWriter out, ColorResult r, Path folder) {
		out.printf(Locale.ROOT, "\"%s\": %s  RGB %d %d %d  similarity %.4f  (%d steps, %s)%n", r.prompt(), r.color().hex(),
			r.color().red(), r.color().green(), r.color().blue(), r.similarity(), r.stepsTaken(),
			r.stopReason().name().toLowerCase(Locale.ROOT));
		List<Rgb> palette = r.colors();
		for (int i = 1; i < palette.size(); i++) {
			Rgb c = palette.get(i);
			out.printf(Locale.ROOT, "  %d: %s  RGB %d %d %d  similarity %.4f%n", i, c.hex(), c.red(), c.green(), c.blue(),
				r.similarities()[i]);
		}
		out.println("  -> " + folder);
	}

	private static String uniqueSlug(String prompt, Set<String> used) {
		String base = ColorFiles.slug(prompt), slug = base;
		for (int i = 2; !used.add(slug); i++) slug = base + "-" + i;
		return slug;
	}

	/** The output folder, checked before the model loads: an existing non-empty one needs --overwrite. */
	private Path outputFolder() {
		if (out == null) {
			String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
			Path base = Paths.get("").toAbsolutePath().resolve("colors-" + stamp), p = base;
			for (int i = 2; Files.exists(p); i++) p = Paths.get(base + "-" + i);
			return p;
		}
		if (Files.exists(out) && !Files.isDirectory(out)) {
			throw new ClipException("--out " + out + " is a file, not a folder; choose a folder.");
		}
		if (Files.isDirectory(out) && !overwrite && !isEmpty(out)) {
			throw new ClipException("Output folder " + out + " already exists; choose another --out or add --overwrite to "
				+ "replace the files in it.");
		}
		return out;
	}

	private static boolean isEmpty(Path dir) {
		try (Stream<Path> s = Files.list(dir)) {
			return !s.findAny().isPresent();
		} catch (IOException e) {
			throw new ClipException("Cannot read the output folder " + dir + ": " + e.getMessage(), e);
		}
	}

	private static void createFolder(Path dir) {
		try {
			Files.createDirectories(dir);
		} catch (IOException e) {
			throw new ClipException("Cannot create the folder " + dir + ": " + e.getMessage() + ". Check that the location "
				+ "is writable.", e);
		}
	}
}
