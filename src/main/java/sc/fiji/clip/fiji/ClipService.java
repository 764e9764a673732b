package sc.fiji.clip.fiji;

import ij.ImagePlus;
import java.io.File;
import java.util.List;
import net.imglib2.RandomAccessibleInterval;
import org.scijava.service.SciJavaService;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.io.ModelCache;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.LabelResult;

/**
 * Fiji CLIP for commands and scripts: models stay loaded between uses ({@link #cache()}), and a few calls label
 * images, embed images and texts, and find the colour of a prompt. In a Script Editor script:
 *
 * <pre>
 * #@ ClipService clip
 * #@ ImagePlus imp
 * #@ File model
 * clip.label(model, imp, ["a cell", "background"], 2).each { println it }
 * </pre>
 *
 * A model is a Fiji CLIP {@code .zip} or a Hugging Face CLIP folder. The calls that take a {@code File model} run on
 * the {@code auto} device (a CUDA GPU when there is one) and load the model only the first time (again when the file
 * changes). Images are read as displayed, exactly as Plugins › CLIP › Label Images… reads them. Thread safe.
 */
public interface ClipService extends SciJavaService {

	/**
	 * Lends the model on a device ({@code auto}, {@code cpu} or {@code gpu}), loading it unless the cache holds this
	 * version of the file. Close the lease when done (it does not close the model, which the cache keeps).
	 */
	ModelLease model(File model, String device);

	/**
	 * Labels every plane of {@code image} zero-shot: one result per plane (stack order: channel, slice, frame) with
	 * its {@code topK} most probable {@code labels} and their probabilities, using the model's caption templates.
	 */
	List<LabelResult> label(File model, ImagePlus image, List<String> labels, int topK);

	/**
	 * Labels every plane of an ImgLib2 image (dimensions 0 and 1 are x and y; the others are planes, dimension 2
	 * fastest, numbered as {@link LabelResult#slice()}): as {@link #label(File, ImagePlus, List, int)} labels an
	 * ImageJ image of the same pixels (8-bit, 16-bit, 32-bit or ARGB; 16- and 32-bit displayed from the image's
	 * smallest to its largest value).
	 */
	List<LabelResult> label(File model, RandomAccessibleInterval<?> image, List<String> labels, int topK);

	/**
	 * Labels every plane of {@code image} few-shot: the classes are the subfolders of {@code examples}
	 * ({@code examples/<class>/...}), {@code method} {@code "cache"} (text and examples, no training) or
	 * {@code "probe"} (logistic regression). The examples are read and fitted on each call.
	 */
	List<LabelResult> labelWithExamples(File model, ImagePlus image, File examples, String method, int topK);

	/** The L2-normalised image embedding of the current plane of {@code image}, as displayed. */
	float[] imageEmbedding(File model, ImagePlus image);

	/** The L2-normalised image embedding of the first plane of an ImgLib2 image (read as {@link #label} reads it). */
	float[] imageEmbedding(File model, RandomAccessibleInterval<?> image);

	/** The L2-normalised text embedding of {@code text} (as is: no caption template). */
	float[] textEmbedding(File model, String text);

	/** The colour whose image embedding best matches {@code prompt}, with the default options. */
	ColorResult color(File model, String prompt);

	/** The colour (palette, or small image) whose image embedding best matches {@code prompt}. */
	ColorResult color(File model, String prompt, ColorOptions options);

	/**
	 * The loaded models. Its budget is {@link ModelCache#defaultBudget()} unless set ({@code
	 * cache().setBudget(bytes)}; 0 loads the model for every use); {@code cache().clear()} frees every model not in use.
	 */
	ModelCache cache();
}
