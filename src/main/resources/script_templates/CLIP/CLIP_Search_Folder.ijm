// Index a folder of images (only new or changed files on later runs), then find the planes most like a text.
// Argument (optional): "model=/path/to/model.zip folder=/path/to/images text=a_cell_in_mitosis hits=12"
// (underscores in text stand for spaces)
args = getArgument();
model = value(args, "model", "");
if (model == "") model = File.openDialog("CLIP model (.zip)");
folder = value(args, "folder", "");
if (folder == "") folder = getDirectory("Folder of images to search");
text = replace(value(args, "text", "a_cell_in_mitosis"), "_", " ");
hits = value(args, "hits", "12");
index = folder + File.separator + ".clip-index";
run("Index Images...", "model=[" + model + "] folder=[" + folder + "] index=[" + index + "] float16=false device=auto");
run("Search Images...", "index=[" + index + "] text=[" + text + "] image=[] minus=[] topk=" + hits
	+ " device=auto results=true");
for (i = 0; i < nResults; i++)
	print(getResult("rank", i) + "  " + d2s(getResult("score", i), 3) + "  " + getResultString("image", i));

function value(args, key, fallback) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return fallback;
}
