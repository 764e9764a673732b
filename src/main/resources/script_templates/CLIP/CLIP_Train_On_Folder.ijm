// Train a CLIP model on a folder of images with captions (captions.csv, sidecar .txt files or class subfolders).
// Argument (optional): "folder=/path/to/images model=/path/to/model.zip epochs=0 preset=small" (epochs 0: automatic)
// Batch size, learning rate and validation split are the trainer's defaults (the command line sets them).
args = getArgument();
folder = value(args, "folder", "");
if (folder == "") folder = getDirectory("Folder of images with captions");
model = value(args, "model", "");
if (model == "") model = folder + File.separator + "clip-model.zip";
run("Clear Results");
run("Train CLIP Model...", "folder=[" + folder + "] model=[" + model + "] preset=" + value(args, "preset", "small")
	+ " epochs=" + value(args, "epochs", "0") + " device=auto results=true");
print("Model written to " + model + " after " + nResults + " epochs; last train loss " + getResult("train_loss", nResults - 1));

function value(args, key, fallback) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return fallback;
}
