// Turn a text prompt into a palette of colours with a CLIP model, and print them best first.
// Argument (optional): "model=/path/to/model.zip colors=4 prompt=the_color_of_a_banana" (underscores become spaces)
args = getArgument();
model = value(args, "model", "");
if (model == "") model = File.openDialog("CLIP model (.zip or folder)");
prompt = replace(value(args, "prompt", "the_color_of_a_banana"), "_", " ");
k = value(args, "colors", "4");
run("Clear Results");
run("Color from Text...", "model=[" + model + "] prompts=[" + prompt + "] steps=100 colors=" + k
	+ " size=1 device=auto results=true");
last = getResult("step", nResults - 1);
for (i = 0; i < nResults; i++)
	if (getResult("step", i) == last) print(prompt + ": " + getResultString("hex", i) + "  similarity " + d2s(getResult("similarity", i), 4));

function value(args, key, fallback) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++)
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	return fallback;
}
