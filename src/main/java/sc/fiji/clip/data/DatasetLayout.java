package sc.fiji.clip.data;

/** How a dataset folder pairs its images with captions; {@link DatasetScanner} detects it. */
public enum DatasetLayout {

	/** A {@code captions.csv} or {@code captions.tsv} table with one row per image and caption. */
	CAPTION_TABLE("caption table", "a captions.csv or captions.tsv table listing each image and its caption"),

	/** A text file next to each image, {@code cell_01.tif} + {@code cell_01.txt}, one caption per line. */
	SIDECAR_TEXT("sidecar .txt files", "a .txt file next to each image (cell_01.tif + cell_01.txt), one caption per line"),

	/** One subfolder per class, {@code DIR/<class name>/*.tif}; captions come from templates. */
	CLASS_FOLDERS("class folders", "one subfolder per class (DIR/<class name>/*.tif), captions made from templates");

	private final String shortName;
	private final String description;

	DatasetLayout(String shortName, String description) {
		this.shortName = shortName;
		this.description = description;
	}

	/** A few words naming the layout, e.g. "class folders". */
	public String shortName() {
		return shortName;
	}

	/** A sentence fragment describing the layout for users, e.g. in a log or dialog. */
	public String description() {
		return description;
	}
}
