package sc.fiji.clip.search;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.List;
import sc.fiji.clip.ClipException;

/** The {@code index.json} of an embedding index: what made it and how its rows are stored. Read and written with Gson. */
final class IndexInfo {

	static final String FORMAT = "fiji-clip-index";
	static final int VERSION = 1;
	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

	String format = FORMAT;
	int version = VERSION;
	/** {@link sc.fiji.clip.model.WeightsFingerprint} of the model */
	String model_fingerprint;
	/** the model file or folder the index was made with, for search to load */
	String model;
	int dimension;
	long rows;
	/** "float32" or "float16" */
	String dtype;
	boolean merge_channels;
	/** the files and folders indexed, absolute */
	List<String> roots = new ArrayList<>();
	String updated;

	boolean half() {
		return "float16".equals(dtype);
	}

	String toJson() {
		return GSON.toJson(this);
	}

	static IndexInfo parse(String json, String where) {
		IndexInfo info;
		try {
			info = GSON.fromJson(json, IndexInfo.class);
		} catch (JsonParseException e) {
			throw new ClipException(where + " is not a Fiji CLIP index (" + e.getMessage() + ").", e);
		}
		if (info == null || !FORMAT.equals(info.format)) {
			throw new ClipException(where + " is not a Fiji CLIP index: give a folder made by fiji-clip index.");
		}
		if (info.version > VERSION) {
			throw new ClipException(where + " was made by a newer Fiji CLIP (index version " + info.version + "); update "
				+ "Fiji CLIP or index the images again.");
		}
		if (info.model_fingerprint == null || info.dimension <= 0 || info.rows < 0 || info.dtype == null) {
			throw new ClipException(where + " is incomplete; index the images again into a new folder.");
		}
		return info;
	}
}
