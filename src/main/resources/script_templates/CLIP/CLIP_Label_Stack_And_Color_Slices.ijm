// Label every plane of the current stack zero-shot, write the top label into each slice label, and colour-code
// the slices: each label gets its own LUT colour in a new RGB stack.
// Argument (optional): "model=/path/to/model.zip labels=mitosis,interphase"
args = getArgument();
model = value(args, "model", "");
if (model == "") model = File.openDialog("CLIP model (.zip)");
labels = value(args, "labels", "mitosis,interphase");
if (nImages == 0) exit("Open a stack first.");
title = getTitle();
run("Clear Results");
run("Label Images...", "model=[" + model + "] images=[current image] folder=[] labels=[" + labels + "] topk=1"
	+ " slicelabels=true device=auto results=true");
names = split(labels, ",");
colors = newArray("#e6194b", "#3cb44b", "#4363d8", "#ffe119", "#911eb4", "#46f0f0", "#f032e6", "#bcf60c");
w = getWidth(); h = getHeight(); n = nSlices;
newImage(title + " by label", "RGB black", w, h, n);
for (i = 0; i < nResults; i++) {
	label = getResultString("label", i);
	k = 0;
	for (j = 0; j < names.length; j++) if (names[j] == label) k = j;
	setSlice(i + 1);
	setColor(colors[k % colors.length]);
	fillRect(0, 0, w, h);
	setMetadata("Label", label);
}
print(title + ": " + nResults + " planes labelled");

function value(args, key, fallback) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return fallback;
}
