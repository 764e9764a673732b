#@ ClipService clip
#@ ImagePlus imp
#@ File (label = "CLIP model (.zip or folder)", style = "both") model
#@ String (label = "Labels (comma-separated)", value = "a cell,background") labels
#@ Integer (label = "Top labels per plane", value = 2, min = 1) topk

// Labels every plane of the current image zero-shot with a CLIP model and prints each plane's top labels.
// The model stays loaded in the ClipService: running this again (or Label Images...) does not read it again.

def rows = clip.label(model, imp, labels.split(",").collect { it.trim() }.findAll { it }, topk)
rows.each { r ->
	def top = (0..<r.topK()).collect { k -> String.format("%s %.3f", r.label(k), r.score(k)) }
	println "${r.image()} c=${r.channel()} z=${r.slice()} t=${r.frame()}: ${top.join(', ')}"
}

// The image and text embeddings, e.g. to compare planes with your own prompt:
def image = clip.imageEmbedding(model, imp)
def text = clip.textEmbedding(model, "a photo of a cell")
def similarity = (0..<image.length).sum { i -> image[i] * text[i] }
println String.format("current plane vs 'a photo of a cell': cosine similarity %.4f", similarity)
