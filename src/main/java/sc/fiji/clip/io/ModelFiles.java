package sc.fiji.clip.io;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.engine.ClipEngine;
import sc.fiji.clip.image.ImagePreprocessing;
import sc.fiji.clip.model.ClipArchitecture;
import sc.fiji.clip.model.ClipConfig;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipWeights;
import sc.fiji.clip.model.FijiClipInfo;
import sc.fiji.clip.text.ByteTokenizer;
import sc.fiji.clip.text.ClipBpeTokenizer;
import sc.fiji.clip.text.ClipTokenizer;

/**
 * Fiji CLIP's model file: one {@code NAME.zip} holding a Hugging Face style folder ({@code config.json} with a
 * {@code fiji_clip} block, {@code model.safetensors} in Hugging Face names). An unzipped folder of that layout loads
 * too. Files are written atomically; truncated or foreign files give a message naming the file and the problem.
 */
public final class ModelFiles {

	public static final String CONFIG = "config.json";
	public static final String WEIGHTS = "model.safetensors";
	public static final String PREPROCESSOR = "preprocessor_config.json";
	/** open_clip's weights (open_clip state-dict names, see {@link OpenClipNames}), read when there is no {@link #WEIGHTS}. */
	public static final String OPEN_CLIP_WEIGHTS = "open_clip_model.safetensors";
	/** open_clip's config (see {@link OpenClipConfig}), read when there is no {@link #CONFIG}. */
	public static final String OPEN_CLIP_CONFIG = OpenClipConfig.FILE;
	/** Tokenizer files of pretrained (BPE) models, carried along when such a model is saved. */
	public static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "vocab.json", "merges.txt",
		"tokenizer_config.json", "special_tokens_map.json");

	private ModelFiles() {}

	/** Writes {@code model} to {@code target} (a .zip), replacing it atomically. */
	public static void save(ClipModel model, Path target) {
		save(model, target, Map.of());
	}

	/**
	 * Writes {@code model} with extra entries (name to content, e.g. a checkpoint's optimiser state) that loading a
	 * model ignores and {@link #readEntry} reads back.
	 */
	public static void save(ClipModel model, Path target, Map<String, AtomicFiles.Content> extra) {
		model.config().fiji_clip.image_mean = model.preprocessing().mean();
		model.config().fiji_clip.image_std = model.preprocessing().std();
		String config = model.config().toJson();
		String preprocessor = model.preprocessing().toJson();
		AtomicFiles.write(target, out -> {
			ZipOutputStream zip = new ZipOutputStream(out);
			putText(zip, CONFIG, config);
			putText(zip, PREPROCESSOR, preprocessor);
			for (Map.Entry<String, byte[]> file : model.tokenizerFiles().entrySet()) {
				zip.putNextEntry(new ZipEntry(file.getKey()));
				zip.write(file.getValue());
				zip.closeEntry();
			}
			for (Map.Entry<String, AtomicFiles.Content> e : extra.entrySet()) {
				zip.putNextEntry(new ZipEntry(e.getKey()));
				e.getValue().writeTo(zip);
				zip.closeEntry();
			}
			zip.putNextEntry(new ZipEntry(WEIGHTS));
			SafetensorsWriter.write(model.weights().toNDList(), zip);
			zip.closeEntry();
			zip.finish();
		});
	}

	private static void putText(ZipOutputStream zip, String name, String text) throws IOException {
		zip.putNextEntry(new ZipEntry(name));
		zip.write(text.getBytes(StandardCharsets.UTF_8));
		zip.closeEntry();
	}

	/** The bytes of one entry of a model file or folder, or null when it has none of that name. */
	public static byte[] readEntry(Path path, String name) {
		try (ModelSource source = ModelSource.open(path)) {
			if (!source.has(name)) return null;
			try (InputStream in = source.open(name)) {
				return in.readAllBytes();
			}
		} catch (IOException e) {
			throw new ClipException("Cannot read " + name + " from " + path + ": " + e.getMessage(), e);
		}
	}

	/** Reads only the config of a model file or folder (fast: no weights). */
	public static ClipConfig readConfig(Path path) {
		try (ModelSource source = ModelSource.open(path)) {
			return source.config();
		}
	}

	/** Loads a model file or folder onto {@code device}. */
	public static ClipModel load(Path path, Device device) {
		return load(path, device, null);
	}

	/**
	 * Loads a model file or folder onto {@code device}; the names of tensors in the weights that the model does not
	 * use (e.g. {@code position_ids} buffers, or open_clip tensors without a Hugging Face counterpart) are added to
	 * {@code unused} when it is not null.
	 */
	public static ClipModel load(Path path, Device device, List<String> unusedTensors) {
		try (ModelSource source = ModelSource.open(path)) {
			ClipConfig config = source.config();
			ImagePreprocessing preprocessing = preprocessing(config, source);
			Map<String, byte[]> tokenizerFiles = new LinkedHashMap<>();
			ClipTokenizer tokenizer = tokenizer(config, source, tokenizerFiles);
			List<String> unused = new ArrayList<>();
			ClipArchitecture architecture = new ClipArchitecture(config);
			ClipModel model;
			try (NDManager reading = ClipEngine.get().newBaseManager(Device.cpu())) {
				NDList arrays = source.weights(reading);
				model = ClipModel.build(config, tokenizer, preprocessing, device,
					m -> ClipWeights.fromArrays(architecture, arrays, m, source.describe(source.weightsFile()), unused));
			} catch (RuntimeException e) {
				closeQuietly(tokenizer);
				throw e;
			}
			tokenizerFiles.forEach(model::addTokenizerFile);
			if (unusedTensors != null) unusedTensors.addAll(unused);
			return model;
		}
	}

	private static ImagePreprocessing preprocessing(ClipConfig config, ModelSource source) {
		if (!source.has(PREPROCESSOR)) return ClipModel.defaultPreprocessing(config);
		try (InputStream in = source.open(PREPROCESSOR)) {
			return ImagePreprocessing.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		} catch (IOException | RuntimeException e) {
			throw new ClipException("Cannot read " + source.describe(PREPROCESSOR) + ": " + e.getMessage()
				+ ". It should be a Hugging Face CLIP image processor config.", e);
		}
	}

	private static ClipTokenizer tokenizer(ClipConfig config, ModelSource source, Map<String, byte[]> files) {
		String kind = config.fiji_clip.tokenizer;
		int context = config.text_config.max_position_embeddings;
		if (FijiClipInfo.BYTE_TOKENIZER.equals(kind)) return new ByteTokenizer(context);
		if (!FijiClipInfo.BPE_TOKENIZER.equals(kind)) {
			throw new ClipException(source.describe(CONFIG) + " asks for the '" + kind + "' tokenizer, which this version "
				+ "of Fiji CLIP cannot read. Update Fiji CLIP.");
		}
		Path tmp = null;
		try {
			tmp = Files.createTempDirectory("fiji-clip-tokenizer");
			for (String name : TOKENIZER_FILES) {
				if (!source.has(name)) continue;
				try (InputStream in = source.open(name)) {
					byte[] bytes = in.readAllBytes();
					files.put(name, bytes);
					Files.write(tmp.resolve(name), bytes);
				}
			}
			return ClipBpeTokenizer.fromFolder(tmp, context);
		} catch (IOException e) {
			throw new ClipException(source.path() + " has no usable CLIP tokenizer: " + e.getMessage()
				+ ". A pretrained CLIP model needs tokenizer.json (or vocab.json and merges.txt) beside config.json.", e);
		} finally {
			deleteTree(tmp);
		}
	}

	private static void deleteTree(Path dir) {
		if (dir == null) return;
		try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
		} catch (IOException e) {
			// a leftover temporary folder is harmless
		}
	}

	private static void closeQuietly(Object o) {
		if (o instanceof AutoCloseable) {
			try {
				((AutoCloseable) o).close();
			} catch (Exception e) {
				// nothing to save
			}
		}
	}

	/** A model's files, in a zip or a folder. */
	static final class ModelSource implements AutoCloseable {

		private final Path path;
		private final ZipFile zip;

		private ModelSource(Path path, ZipFile zip) {
			this.path = path;
			this.zip = zip;
		}

		static ModelSource open(Path path) {
			if (!Files.exists(path)) {
				throw new ClipException("Model " + path + " does not exist. Give a model .zip made by Fiji CLIP (train or "
					+ "import) or a Hugging Face CLIP folder.");
			}
			if (Files.isDirectory(path)) {
				if (!Files.isRegularFile(path.resolve(CONFIG)) && !Files.isRegularFile(path.resolve(OPEN_CLIP_CONFIG))) {
					String pickles = pickleFiles(path);
					if (!pickles.isEmpty() && !Files.isRegularFile(path.resolve(WEIGHTS))
						&& !Files.isRegularFile(path.resolve(OPEN_CLIP_WEIGHTS))) {
						throw new ClipException("Model folder " + path + " holds only " + pickles + UNSAFE_FORMATS);
					}
					throw new ClipException("Model folder " + path + " has no " + CONFIG + ". A CLIP model folder holds "
						+ CONFIG + " and " + WEIGHTS + " (as Hugging Face's save_pretrained writes them), or open_clip's "
						+ OPEN_CLIP_CONFIG + " and " + OPEN_CLIP_WEIGHTS + ".");
				}
				return new ModelSource(path, null);
			}
			String fileName = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
			if (fileName.endsWith(".pt") || fileName.endsWith(".pth") || fileName.endsWith(".bin")) {
				throw new ClipException("Model file " + path + " is a PyTorch pickle or TorchScript file" + UNSAFE_FORMATS);
			}
			ZipFile zip;
			try {
				zip = new ZipFile(path.toFile());
			} catch (ZipException e) {
				throw new ClipException("Model file " + path + " is not a complete zip (" + e.getMessage() + "): it may be "
					+ "truncated by an interrupted copy or not a Fiji CLIP model. Copy it again or retrain.", e);
			} catch (IOException e) {
				throw new ClipException("Cannot read model file " + path + ": " + e.getMessage(), e);
			}
			try {
				checkEntries(path, zip);
			} catch (ClipException e) {
				closeQuietly(zip);
				throw e;
			}
			return new ModelSource(path, zip);
		}

		private static final String UNSAFE_FORMATS = ", which Fiji CLIP does not read: PyTorch pickle (.bin, .pth) "
			+ "and TorchScript (.pt, as OpenAI's CLIP downloads) files can run code when loaded. Convert the model to "
			+ "safetensors with Python, either with transformers (CLIPModel.from_pretrained(...).save_pretrained(dir, "
			+ "safe_serialization=True), plus CLIPProcessor.from_pretrained(...).save_pretrained(dir) for the tokenizer) "
			+ "or with open_clip (save model.state_dict() with safetensors.torch.save_file as open_clip_model.safetensors "
			+ "next to open_clip_config.json and the tokenizer files), then give that folder.";

		/** The pickle/TorchScript files directly in {@code dir}, comma-separated, or "" when none. */
		private static String pickleFiles(Path dir) {
			try (java.util.stream.Stream<Path> files = Files.list(dir)) {
				return files.map(p -> p.getFileName().toString()).filter(n -> {
					String l = n.toLowerCase(java.util.Locale.ROOT);
					return l.endsWith(".pt") || l.endsWith(".pth") || l.endsWith(".bin");
				}).sorted().collect(java.util.stream.Collectors.joining(", "));
			} catch (IOException e) {
				return "";
			}
		}

		private static void checkEntries(Path path, ZipFile zip) {
			Enumeration<? extends ZipEntry> entries = zip.entries();
			while (entries.hasMoreElements()) {
				String name = entries.nextElement().getName();
				if (name.startsWith("/") || name.startsWith("\\") || name.contains("..") || name.contains(":")) {
					throw new ClipException("Model file " + path + " contains the entry '" + name + "', which points outside "
						+ "the model. Refusing to read it: it was not written by Fiji CLIP and may be malicious.");
				}
			}
			if (zip.getEntry(CONFIG) == null) {
				throw new ClipException("Model file " + path + " has no " + CONFIG + ": it is not a Fiji CLIP model.");
			}
		}

		String describe(String file) {
			return zip != null ? path + " (" + file + ")" : path.resolve(file).toString();
		}

		boolean has(String file) {
			return zip != null ? zip.getEntry(file) != null : Files.isRegularFile(path.resolve(file));
		}

		InputStream open(String file) throws IOException {
			if (zip != null) {
				ZipEntry e = zip.getEntry(file);
				if (e == null) throw new java.io.FileNotFoundException(describe(file));
				return zip.getInputStream(e);
			}
			return Files.newInputStream(path.resolve(file));
		}

		ClipConfig config() {
			if (!has(CONFIG) && has(OPEN_CLIP_CONFIG)) {
				try (InputStream in = open(OPEN_CLIP_CONFIG)) {
					return OpenClipConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
						describe(OPEN_CLIP_CONFIG));
				} catch (IOException e) {
					throw new ClipException("Cannot read " + describe(OPEN_CLIP_CONFIG) + ": " + e.getMessage(), e);
				}
			}
			try (InputStream in = open(CONFIG)) {
				return ClipConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), describe(CONFIG));
			} catch (IOException e) {
				throw new ClipException("Cannot read " + describe(CONFIG) + ": " + e.getMessage(), e);
			}
		}

		/** The weights file this source reads: {@link #WEIGHTS}, else {@link #OPEN_CLIP_WEIGHTS} when present. */
		String weightsFile() {
			return !has(WEIGHTS) && has(OPEN_CLIP_WEIGHTS) ? OPEN_CLIP_WEIGHTS : WEIGHTS;
		}

		NDList weights(NDManager manager) {
			String file = weightsFile();
			if (!has(file)) {
				String pickles = zip == null ? pickleFiles(path) : "";
				String hint = pickles.isEmpty() ? "" : " It has " + pickles + UNSAFE_FORMATS;
				throw new ClipException(path + " has no " + WEIGHTS + " (nor open_clip's " + OPEN_CLIP_WEIGHTS + ")." + hint);
			}
			NDList arrays;
			try (InputStream in = open(file)) {
				arrays = NDList.decode(manager, in);
			} catch (IOException | RuntimeException e) {
				throw new ClipException("Cannot read the weights " + describe(file) + ": " + e.getMessage()
					+ ". The file is truncated or not a safetensors file; copy it again or retrain.", e);
			}
			return file.equals(OPEN_CLIP_WEIGHTS) ? OpenClipNames.toHuggingFace(arrays, null) : arrays;
		}

		Path path() {
			return path;
		}

		@Override
		public void close() {
			if (zip != null) closeQuietly(zip);
		}

		private static void closeQuietly(ZipFile zip) {
			try {
				zip.close();
			} catch (IOException e) {
				// read-only: nothing to lose
			}
		}
	}
}
