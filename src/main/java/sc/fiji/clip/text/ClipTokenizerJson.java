package sc.fiji.clip.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the Hugging Face {@code tokenizer.json} of a CLIP tokenizer from the older {@code vocab.json} +
 * {@code merges.txt} pair, equal (as JSON) to the one {@code transformers} writes for OpenAI's CLIP: a byte-level BPE
 * model with {@code end_of_word_suffix "</w>"}, the CLIP normalizer (NFC, {@code \s+} to one space, lowercase),
 * CLIP's split regex followed by the byte-level pre-tokenizer, a {@code RobertaProcessing} post-processor that wraps
 * the text in the start and end tokens, and the byte-level decoder.
 */
final class ClipTokenizerJson {

	/** Pre-tokenizer regex of {@code transformers}' CLIP converter (and of OpenAI's {@code simple_tokenizer.py}). */
	static final String SPLIT_REGEX =
		"<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

	static final String DEFAULT_BOS = "<|startoftext|>";
	static final String DEFAULT_EOS = "<|endoftext|>";
	static final String DEFAULT_UNK = "<|endoftext|>";

	private ClipTokenizerJson() {}

	/**
	 * Builds {@code tokenizer.json} from CLIP's {@code vocab.json} and {@code merges.txt}.
	 * <p>
	 * Merges are read in file order after the optional {@code #version} line, and reading stops at the first merge
	 * whose result is not in the vocabulary: OpenAI's full {@code bpe_simple_vocab_16e6.txt} holds 262 144 merges of
	 * which CLIP uses the first 48 894 (the cap {@code 49152-256-2} of {@code simple_tokenizer.py} and of
	 * {@code transformers}' {@code CLIPTokenizer}); a {@code merges.txt} from a Hugging Face repository holds exactly
	 * those.
	 *
	 * @param bos start-of-text token, {@code <|startoftext|>} for CLIP
	 * @param eos end-of-text token, {@code <|endoftext|>} for CLIP
	 * @param unk unknown token, {@code <|endoftext|>} for CLIP
	 * @throws IOException if a file cannot be read or is not a CLIP vocabulary / merge list
	 */
	static JsonObject fromVocabAndMerges(Path vocabJson, Path mergesTxt, String bos, String eos, String unk)
		throws IOException
	{
		JsonObject vocab = readVocab(vocabJson);
		int bosId = requireId(vocab, bos, vocabJson, "start token");
		int eosId = requireId(vocab, eos, vocabJson, "end token");
		requireId(vocab, unk, vocabJson, "unknown token");
		JsonArray merges = readMerges(mergesTxt, vocab);

		JsonObject json = new JsonObject();
		json.addProperty("version", "1.0");
		json.add("truncation", JsonNull.INSTANCE);
		json.add("padding", JsonNull.INSTANCE);

		JsonArray added = new JsonArray();
		// as transformers writes them for openai/clip-*: the start token is matched on normalised text, the end
		// token on raw text
		added.add(addedToken(bosId, bos, true));
		if (!eos.equals(bos)) added.add(addedToken(eosId, eos, false));
		if (!unk.equals(bos) && !unk.equals(eos)) added.add(addedToken(vocab.get(unk).getAsInt(), unk, false));
		json.add("added_tokens", added);

		JsonArray normalizers = new JsonArray();
		normalizers.add(type("NFC"));
		JsonObject replace = type("Replace");
		replace.add("pattern", regex("\\s+"));
		replace.addProperty("content", " ");
		normalizers.add(replace);
		normalizers.add(type("Lowercase"));
		JsonObject normalizer = type("Sequence");
		normalizer.add("normalizers", normalizers);
		json.add("normalizer", normalizer);

		JsonObject split = type("Split");
		split.add("pattern", regex(SPLIT_REGEX));
		split.addProperty("behavior", "Removed");
		split.addProperty("invert", true);
		JsonArray preTokenizers = new JsonArray();
		preTokenizers.add(split);
		preTokenizers.add(byteLevel(false));
		JsonObject preTokenizer = type("Sequence");
		preTokenizer.add("pretokenizers", preTokenizers);
		json.add("pre_tokenizer", preTokenizer);

		JsonObject post = type("RobertaProcessing");
		post.add("sep", tokenAndId(eos, eosId));
		post.add("cls", tokenAndId(bos, bosId));
		post.addProperty("trim_offsets", false);
		post.addProperty("add_prefix_space", false);
		json.add("post_processor", post);

		json.add("decoder", byteLevel(true));

		JsonObject model = type("BPE");
		model.add("dropout", JsonNull.INSTANCE);
		model.addProperty("unk_token", unk);
		model.addProperty("continuing_subword_prefix", "");
		model.addProperty("end_of_word_suffix", "</w>");
		model.addProperty("fuse_unk", false);
		model.addProperty("byte_fallback", false);
		model.add("vocab", vocab);
		model.add("merges", merges);
		json.add("model", model);
		return json;
	}

	/** Writes {@code json} as UTF-8 without HTML escaping, nulls kept. */
	static void write(JsonObject json, Path file) throws IOException {
		Gson gson = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
		try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			gson.toJson(json, w);
		}
	}

	/** Parses a JSON file whose top level is an object. */
	static JsonObject readObject(Path file) throws IOException {
		try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			JsonElement e = JsonParser.parseReader(r);
			if (!e.isJsonObject()) throw new IOException(file + " is not a JSON object");
			return e.getAsJsonObject();
		} catch (JsonParseException e) {
			throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
		}
	}

	private static JsonObject readVocab(Path vocabJson) throws IOException {
		JsonObject vocab = readObject(vocabJson);
		for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
			JsonElement v = e.getValue();
			if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || v.getAsInt() < 0) {
				throw new IOException(vocabJson + " is not a vocabulary (token to id): entry '" + e.getKey() + "'");
			}
		}
		return vocab;
	}

	private static int requireId(JsonObject vocab, String token, Path vocabJson, String what) throws IOException {
		JsonElement id = vocab.get(token);
		if (id == null) throw new IOException(vocabJson + " lacks the " + what + " '" + token + "'");
		return id.getAsInt();
	}

	private static JsonArray readMerges(Path mergesTxt, JsonObject vocab) throws IOException {
		JsonArray merges = new JsonArray();
		try (BufferedReader r = Files.newBufferedReader(mergesTxt, StandardCharsets.UTF_8)) {
			String line;
			int lineNo = 0;
			while ((line = r.readLine()) != null) {
				lineNo++;
				if (lineNo == 1 && line.startsWith("#version")) continue;
				if (line.isEmpty()) continue;
				int space = line.indexOf(' ');
				if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
					throw new IOException(mergesTxt + " line " + lineNo + " is not a merge 'a b': '" + line + "'");
				}
				String a = line.substring(0, space), b = line.substring(space + 1);
				if (!vocab.has(a + b)) break; // past the merges this vocabulary was built from
				if (!vocab.has(a) || !vocab.has(b)) {
					throw new IOException(mergesTxt + " line " + lineNo + ": '" + line + "' merges a token that "
						+ "is not in the vocabulary");
				}
				merges.add(line);
			}
		}
		if (merges.size() == 0) throw new IOException(mergesTxt + " holds no merges of this vocabulary");
		return merges;
	}

	private static JsonObject type(String type) {
		JsonObject o = new JsonObject();
		o.addProperty("type", type);
		return o;
	}

	private static JsonObject regex(String pattern) {
		JsonObject o = new JsonObject();
		o.addProperty("Regex", pattern);
		return o;
	}

	private static JsonObject byteLevel(boolean addPrefixSpace) {
		JsonObject o = type("ByteLevel");
		o.addProperty("add_prefix_space", addPrefixSpace);
		o.addProperty("trim_offsets", true);
		o.addProperty("use_regex", true);
		return o;
	}

	private static JsonArray tokenAndId(String token, int id) {
		JsonArray a = new JsonArray();
		a.add(token);
		a.add(id);
		return a;
	}

	private static JsonObject addedToken(int id, String content, boolean normalized) {
		JsonObject o = new JsonObject();
		o.addProperty("id", id);
		o.addProperty("content", content);
		o.addProperty("single_word", false);
		o.addProperty("lstrip", false);
		o.addProperty("rstrip", false);
		o.addProperty("normalized", normalized);
		o.addProperty("special", true);
		return o;
	}
}
