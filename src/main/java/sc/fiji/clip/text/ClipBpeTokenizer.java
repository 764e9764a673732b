package sc.fiji.clip.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import sc.fiji.clip.engine.ClipEngine;

/**
 * CLIP's byte-level BPE tokenizer (OpenAI CLIP, open_clip and Hugging Face CLIP checkpoints), running the
 * Hugging Face {@code tokenizers} library through DJL. It gives the ids of OpenAI's
 * {@code clip.tokenize(text, truncate=True)} without the zero padding: start token, at most
 * {@code contextLength - 2} text tokens, end token.
 * <p>
 * Load it with {@link #fromFolder(Path, int)} from a folder holding either {@code tokenizer.json} or the older
 * {@code vocab.json} + {@code merges.txt}. The start and end ids are the ones the tokenizer's post-processor adds;
 * the pad id is the {@code pad_token} of {@code special_tokens_map.json} / {@code tokenizer_config.json}
 * ({@code <|endoftext|>} = 49407 for OpenAI's checkpoints on the Hub; open_clip exports may name {@code !} = 0), else
 * the end id as in {@code transformers}' {@code CLIPTokenizer}. Padding does not change the text embedding of CLIP
 * (causal mask, pooled at the end token), but the attention mask of a {@link TokenBatch} marks it.
 * <p>
 * Differences from OpenAI's Python tokenizer: OpenAI's {@code basic_clean} also runs {@code ftfy.fix_text} and
 * {@code html.unescape} ({@code "&amp;"} becomes {@code "&"}); Hugging Face's tokenizers, and this class, do not.
 * Unpaired UTF-16 surrogates, which no UTF-8 tokenizer can read, are replaced by U+FFFD before tokenizing.
 * <p>
 * <b>Threads:</b> one instance may be used by several threads at once: encoding only reads the native tokenizer.
 * {@link #close()} frees the native tokenizer; it waits for encodings in progress, and later calls throw
 * {@link IllegalStateException}. Close every instance (try-with-resources): the native memory is not on the Java
 * heap.
 */
public final class ClipBpeTokenizer implements ClipTokenizer, Closeable {

	/** Context length of every OpenAI and open_clip CLIP text encoder. */
	public static final int DEFAULT_CONTEXT_LENGTH = 77;

	static final String TOKENIZER_JSON = "tokenizer.json";
	static final String VOCAB_JSON = "vocab.json";
	static final String MERGES_TXT = "merges.txt";
	static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
	static final String SPECIAL_TOKENS_MAP_JSON = "special_tokens_map.json";
	static final String MODEL_CONFIG_JSON = "config.json";

	/** {@code model_max_length} values above this are transformers' "unset" marker (1e30), not a context. */
	private static final int MAX_SANE_CONTEXT = 1 << 20;

	private final HuggingFaceTokenizer tokenizer;
	private final ReadWriteLock lock = new ReentrantReadWriteLock();
	private boolean closed;
	private final String source;
	private final int contextLength;
	private final int startId;
	private final int endId;
	private final int padId;
	private final int vocabularySize;

	private ClipBpeTokenizer(HuggingFaceTokenizer tokenizer, String source, int contextLength, int startId, int endId,
		int padId, int vocabularySize)
	{
		this.tokenizer = tokenizer;
		this.source = source;
		this.contextLength = contextLength;
		this.startId = startId;
		this.endId = endId;
		this.padId = padId;
		this.vocabularySize = vocabularySize;
	}

	/**
	 * Loads the tokenizer of a CLIP checkpoint folder with the context length its configuration gives
	 * ({@link #contextLengthOf(Path)}).
	 *
	 * @see #fromFolder(Path, int)
	 */
	public static ClipBpeTokenizer fromFolder(Path dir) throws IOException {
		return fromFolder(dir, contextLengthOf(dir));
	}

	/**
	 * Loads the tokenizer of a CLIP checkpoint folder.
	 * <p>
	 * Uses {@code tokenizer.json} when present; otherwise builds the equivalent {@code tokenizer.json} from
	 * {@code vocab.json} + {@code merges.txt} (into a temporary file, deleted once loaded). Special token names come
	 * from {@code special_tokens_map.json} or {@code tokenizer_config.json} when present. Nothing is downloaded.
	 *
	 * @param dir folder of a Hugging Face or open_clip checkpoint
	 * @param contextLength ids per text, start and end tokens included (77 for CLIP; the model's
	 *     {@code max_position_embeddings}); at least 2
	 * @throws IOException if the folder holds no tokenizer (the message names the folder and the files expected),
	 *     or its files cannot be read
	 */
	public static ClipBpeTokenizer fromFolder(Path dir, int contextLength) throws IOException {
		if (contextLength < 2) {
			throw new IllegalArgumentException("context length " + contextLength + " leaves no room for the start "
				+ "and end tokens");
		}
		if (!Files.isDirectory(dir)) {
			throw new NoSuchFileException(dir.toString(), null, "not a folder; expected a CLIP checkpoint folder "
				+ "holding " + TOKENIZER_JSON + ", or " + VOCAB_JSON + " and " + MERGES_TXT);
		}
		SpecialTokens names = SpecialTokens.read(dir);
		Path tokenizerJson = dir.resolve(TOKENIZER_JSON);
		Path vocab = dir.resolve(VOCAB_JSON);
		Path merges = dir.resolve(MERGES_TXT);
		if (Files.isRegularFile(tokenizerJson)) {
			JsonObject json = ClipTokenizerJson.readObject(tokenizerJson);
			return load(tokenizerJson, json, tokenizerJson.toString(), names, contextLength);
		}
		if (Files.isRegularFile(vocab) && Files.isRegularFile(merges)) {
			JsonObject json = ClipTokenizerJson.fromVocabAndMerges(vocab, merges, names.bos, names.eos, names.unk);
			Path tmp = Files.createTempFile("clip-tokenizer-", ".json");
			try {
				ClipTokenizerJson.write(json, tmp);
				return load(tmp, json, vocab + " + " + MERGES_TXT, names, contextLength);
			} finally {
				Files.deleteIfExists(tmp);
			}
		}
		throw new NoSuchFileException(dir.toString(), null, "no CLIP tokenizer in this folder: expected "
			+ TOKENIZER_JSON + ", or " + VOCAB_JSON + " and " + MERGES_TXT + " (as in a Hugging Face CLIP "
			+ "checkpoint); found " + listing(dir));
	}

	/**
	 * Context length of a checkpoint folder: the smaller of {@code tokenizer_config.json}'s
	 * {@code model_max_length} and {@code config.json}'s text {@code max_position_embeddings}, whichever exist;
	 * {@value #DEFAULT_CONTEXT_LENGTH} if neither does.
	 */
	public static int contextLengthOf(Path dir) throws IOException {
		int context = Integer.MAX_VALUE;
		Path tokenizerConfig = dir.resolve(TOKENIZER_CONFIG_JSON);
		if (Files.isRegularFile(tokenizerConfig)) {
			context = Math.min(context, saneLength(ClipTokenizerJson.readObject(tokenizerConfig).get(
				"model_max_length")));
		}
		Path modelConfig = dir.resolve(MODEL_CONFIG_JSON);
		if (Files.isRegularFile(modelConfig)) {
			JsonObject config = ClipTokenizerJson.readObject(modelConfig);
			JsonElement text = config.get("text_config");
			JsonObject textConfig = text != null && text.isJsonObject() ? text.getAsJsonObject() : config;
			context = Math.min(context, saneLength(textConfig.get("max_position_embeddings")));
		}
		return context == Integer.MAX_VALUE ? DEFAULT_CONTEXT_LENGTH : context;
	}

	private static int saneLength(JsonElement e) {
		if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) return Integer.MAX_VALUE;
		double v = e.getAsDouble();
		return v >= 2 && v <= MAX_SANE_CONTEXT ? (int) v : Integer.MAX_VALUE;
	}

	private static ClipBpeTokenizer load(Path file, JsonObject json, String source, SpecialTokens names,
		int contextLength) throws IOException
	{
		Map<String, Integer> added = new HashMap<>();
		int maxId = -1;
		JsonElement addedTokens = json.get("added_tokens");
		if (addedTokens != null && addedTokens.isJsonArray()) {
			for (JsonElement t : addedTokens.getAsJsonArray()) {
				JsonObject o = t.getAsJsonObject();
				int id = o.get("id").getAsInt();
				added.put(o.get("content").getAsString(), id);
				maxId = Math.max(maxId, id);
			}
		}
		JsonElement model = json.get("model");
		JsonObject vocab = model != null && model.isJsonObject() && model.getAsJsonObject().get("vocab") != null
			&& model.getAsJsonObject().get("vocab").isJsonObject() ? model.getAsJsonObject().getAsJsonObject("vocab")
				: new JsonObject();
		for (Map.Entry<String, JsonElement> e : vocab.entrySet()) maxId = Math.max(maxId, e.getValue().getAsInt());

		HuggingFaceTokenizer tokenizer = newTokenizer(file, contextLength);
		try {
			// the start and end ids are those the post-processor adds (RobertaProcessing or TemplateProcessing)
			long[] empty = tokenizer.encode("").getIds();
			if (empty.length != 2) {
				throw new IOException(source + " does not wrap a text in a start and an end token (the empty text "
					+ "gave " + Arrays.toString(empty) + "): not a CLIP tokenizer");
			}
			int startId = (int) empty[0], endId = (int) empty[1];
			int padId;
			if (names.pad == null) {
				padId = endId; // transformers' CLIPTokenizer default pad token is <|endoftext|>
			} else if (added.containsKey(names.pad)) {
				padId = added.get(names.pad);
			} else if (vocab.has(names.pad)) {
				padId = vocab.get(names.pad).getAsInt();
			} else {
				throw new IOException("pad token '" + names.pad + "' named in " + names.from + " is not in the "
					+ "vocabulary of " + source);
			}
			int vocabularySize = Math.max(maxId, Math.max(padId, Math.max(startId, endId))) + 1;
			return new ClipBpeTokenizer(tokenizer, source, contextLength, startId, endId, padId, vocabularySize);
		} catch (IOException | RuntimeException e) {
			tokenizer.close();
			throw e;
		}
	}

	/**
	 * Loads {@code tokenizer.json} by path (never a hub id: that would make the native code go to the network), with
	 * truncation to {@code contextLength} ids special tokens included, keeping the end token, and without padding.
	 */
	static HuggingFaceTokenizer newTokenizer(Path tokenizerJson, int contextLength) throws IOException {
		ClipEngine.configureOffline(); // DJL's telemetry: an HTTP request on EC2, a connection attempt elsewhere
		Map<String, String> options = new HashMap<>();
		options.put("addSpecialTokens", "true");
		options.put("withOverflowingTokens", "false");
		// LONGEST_FIRST on a single text: keep the first (maxLength - specials) tokens, then add start and end
		options.put("truncation", "LONGEST_FIRST");
		options.put("maxLength", Integer.toString(contextLength));
		// DJL lowers maxLength to modelMaxLength (512 unless given)
		options.put("modelMaxLength", Integer.toString(contextLength));
		options.put("stride", "0");
		options.put("padding", "false");
		options.put("padToMultipleOf", "0");
		return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
	}

	@Override
	public int[] encode(String text) {
		Objects.requireNonNull(text, "text");
		String clean = replaceUnpairedSurrogates(text);
		long[] ids;
		lock.readLock().lock();
		try {
			ensureOpen();
			ids = tokenizer.encode(clean).getIds();
		} finally {
			lock.readLock().unlock();
		}
		return toContext(ids);
	}

	/**
	 * Encodes several texts and pads them to the longest with {@link #padId()}. Texts are encoded one by one:
	 * DJL's {@code batchEncode} was no faster on 2 cores, and its native code aborts the JVM on an encoding error
	 * ({@code unwrap}) where single encoding throws.
	 */
	@Override
	public TokenBatch encodeBatch(List<String> texts) {
		String[] clean = new String[texts.size()];
		for (int i = 0; i < clean.length; i++) {
			clean[i] = replaceUnpairedSurrogates(Objects.requireNonNull(texts.get(i), "text"));
		}
		int[][] ids = new int[clean.length][];
		lock.readLock().lock();
		try {
			ensureOpen();
			for (int i = 0; i < clean.length; i++) ids[i] = toContext(tokenizer.encode(clean[i]).getIds());
		} finally {
			lock.readLock().unlock();
		}
		return TokenBatch.pad(ids, padId);
	}

	/** Safety net: the native truncation already keeps SOT + first tokens + EOT within the context. */
	private int[] toContext(long[] ids) {
		int n = Math.min(ids.length, contextLength);
		int[] out = new int[n];
		for (int i = 0; i < n; i++) out[i] = (int) ids[i];
		if (ids.length > contextLength) out[n - 1] = endId;
		return out;
	}

	/** Replaces each unpaired UTF-16 surrogate by U+FFFD; returns {@code s} itself when there is none. */
	static String replaceUnpairedSurrogates(String s) {
		StringBuilder sb = null;
		int n = s.length();
		for (int i = 0; i < n; i++) {
			char c = s.charAt(i);
			if (!Character.isSurrogate(c)) continue;
			if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
				i++;
				continue;
			}
			if (sb == null) sb = new StringBuilder(s);
			sb.setCharAt(i, '\uFFFD');
		}
		return sb == null ? s : sb.toString();
	}

	private void ensureOpen() {
		if (closed) throw new IllegalStateException("tokenizer of " + source + " is closed");
	}

	@Override
	public int contextLength() {
		return contextLength;
	}

	@Override
	public int padId() {
		return padId;
	}

	@Override
	public int startId() {
		return startId;
	}

	@Override
	public int endId() {
		return endId;
	}

	@Override
	public int vocabularySize() {
		return vocabularySize;
	}

	/** Frees the native tokenizer; idempotent. Waits for encodings in progress on other threads. */
	@Override
	public void close() {
		lock.writeLock().lock();
		try {
			if (!closed) {
				closed = true;
				tokenizer.close();
			}
		} finally {
			lock.writeLock().unlock();
		}
	}

	@Override
	public String toString() {
		return "ClipBpeTokenizer[" + source + ", context " + contextLength + ", start " + startId + ", end " + endId
			+ ", pad " + padId + ", vocabulary " + vocabularySize + "]";
	}

	private static String listing(Path dir) {
		List<String> names = new ArrayList<>();
		try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
			for (Path p : s) names.add(p.getFileName().toString());
		} catch (IOException e) {
			return "(folder unreadable: " + e.getMessage() + ")";
		}
		if (names.isEmpty()) return "an empty folder";
		names.sort(null);
		if (names.size() > 20) {
			int more = names.size() - 20;
			names = new ArrayList<>(names.subList(0, 20));
			names.add("... " + more + " more");
		}
		return String.join(", ", names);
	}

	/** Special token names from {@code special_tokens_map.json}, else {@code tokenizer_config.json}, else CLIP's. */
	static final class SpecialTokens {
		final String bos;
		final String eos;
		final String unk;
		/** {@code null}: none named. */
		final String pad;
		final String from;

		private SpecialTokens(String bos, String eos, String unk, String pad, String from) {
			this.bos = bos;
			this.eos = eos;
			this.unk = unk;
			this.pad = pad;
			this.from = from;
		}

		static SpecialTokens read(Path dir) throws IOException {
			JsonObject map = optObject(dir.resolve(SPECIAL_TOKENS_MAP_JSON));
			JsonObject config = optObject(dir.resolve(TOKENIZER_CONFIG_JSON));
			// transformers applies special_tokens_map.json over tokenizer_config.json
			String pad = name(map, "pad_token");
			String from = SPECIAL_TOKENS_MAP_JSON;
			if (pad == null) {
				pad = name(config, "pad_token");
				from = TOKENIZER_CONFIG_JSON;
			}
			return new SpecialTokens(
				firstNonNull(name(map, "bos_token"), name(config, "bos_token"), ClipTokenizerJson.DEFAULT_BOS),
				firstNonNull(name(map, "eos_token"), name(config, "eos_token"), ClipTokenizerJson.DEFAULT_EOS),
				firstNonNull(name(map, "unk_token"), name(config, "unk_token"), ClipTokenizerJson.DEFAULT_UNK),
				pad, dir.resolve(from).toString());
		}

		private static JsonObject optObject(Path file) throws IOException {
			return Files.isRegularFile(file) ? ClipTokenizerJson.readObject(file) : null;
		}

		/** A token is written as a string or as an AddedToken object with {@code content}. */
		private static String name(JsonObject o, String key) {
			if (o == null) return null;
			JsonElement e = o.get(key);
			if (e == null || e.isJsonNull()) return null;
			if (e.isJsonPrimitive()) return e.getAsString();
			if (e.isJsonObject() && e.getAsJsonObject().has("content")) {
				return e.getAsJsonObject().get("content").getAsString();
			}
			if (e.isJsonArray()) {
				JsonArray a = e.getAsJsonArray();
				return a.size() > 0 && a.get(0).isJsonPrimitive() ? a.get(0).getAsString() : null;
			}
			return null;
		}

		private static String firstNonNull(String a, String b, String c) {
			return a != null ? a : b != null ? b : c;
		}
	}
}
