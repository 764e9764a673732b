// Label every image of a folder (recursively, every plane of stacks) and save the table as CSV.
// Argument (optional): "model=/path/to/model.zip folder=/path/to/images labels=a,b,c out=/path/to/labels.csv"
args = getArgument();
model = value(args, "model", "");
if (model == "") model = File.openDialog("CLIP model (.zip)");
folder = value(args, "folder", "");
if (folder == "") folder = getDirectory("Folder of images to label");
labels = value(args, "labels", "cell,background");
out = value(args, "out", folder + File.separator + "clip-labels.csv");
run("Clear Results");
run("Label Images...", "model=[" + model + "] images=folder folder=[" + folder + "] labels=[" + labels + "] topk=2"
	+ " slicelabels=false device=auto results=true");
saveAs("Results", out);
print(nResults + " planes labelled; table saved to " + out);

function value(args, key, fallback) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return fallback;
}
