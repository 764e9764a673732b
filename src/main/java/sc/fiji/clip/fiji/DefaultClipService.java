package sc.fiji.clip.fiji;

import ai.djl.Device;
import ij.IJ;
import ij.ImagePlus;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import net.imglib2.RandomAccessibleInterval;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;
import sc.fiji.clip.ClipException;
import sc.fiji.clip.color.ColorOptimizer;
import sc.fiji.clip.color.ColorOptions;
import sc.fiji.clip.color.ColorResult;
import sc.fiji.clip.engine.DeviceChoice;
import sc.fiji.clip.fewshot.FewShotMethod;
import sc.fiji.clip.fewshot.Scorers;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.imagej.ImgLib2Images;
import sc.fiji.clip.imagej.RgbConversion;
import sc.fiji.clip.io.ModelCache;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.io.ModelLease;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ProgressListener;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;

/**
 * The {@link ClipService}: a thin SciJava shell over a {@link ModelCache} (closed with the context) and the core's
 * labeller, embeddings and colour optimiser.
 */
@Plugin(type = Service.class)
public class DefaultClipService extends AbstractService implements ClipService {

	private static final String AUTO = "auto";

	private final ModelCache cache = new ModelCache(ModelCache.defaultBudget());

	@Override
	public ModelLease model(File model, String device) {
		Objects.requireNonNull(model, "model");
		return DjlInFiji.call(() -> cache.lease(model.toPath(), DeviceChoice.parse(device).resolve()));
	}

	@Override
	public List<LabelResult> label(File model, ImagePlus image, List<String> labels, int topK) {
		Objects.requireNonNull(image, "image");
		return DjlInFiji.call(() -> {
			try (ModelLease lease = model(model, AUTO);
				ZeroShotClassifier classifier = ZeroShotClassifier.create(lease.model(), LabelSet.of(labels), null, lease.memo()))
			{
				List<LabelResult> rows = new ArrayList<>();
				ZeroShotLabeller.builder(classifier).topK(topK).build().label(List.of(ImagePlanes.input(image)), rows::add);
				return rows;
			}
		});
	}

	@Override
	public List<LabelResult> labelWithExamples(File model, ImagePlus image, File examples, String method, int topK) {
		Objects.requireNonNull(image, "image");
		Objects.requireNonNull(examples, "examples");
		return DjlInFiji.call(() -> {
			try (ModelLease lease = model(model, AUTO);
				ImageScorer classifier = Scorers.open(lease.model(), null, null, null, examples.toPath(),
					FewShotMethod.of(method), ProgressListener.NONE, line -> IJ.log("CLIP " + line)))
			{
				List<LabelResult> rows = new ArrayList<>();
				ZeroShotLabeller.builder(classifier).topK(topK).build().label(List.of(ImagePlanes.input(image)), rows::add);
				return rows;
			}
		});
	}

	@Override
	public List<LabelResult> label(File model, RandomAccessibleInterval<?> image, List<String> labels, int topK) {
		return label(model, ImgLib2Images.toImagePlus(image, "image"), labels, topK);
	}

	@Override
	public float[] imageEmbedding(File model, ImagePlus image) {
		Objects.requireNonNull(image, "image");
		return DjlInFiji.call(() -> {
			try (ModelLease lease = model(model, AUTO)) {
				ClipModel clip = lease.model();
				float[] pixels = new ClipImageProcessor(clip.preprocessing()).process(RgbConversion.fromImagePlus(image));
				int size = clip.imageSize();
				if (pixels.length != 3 * size * size) {
					throw new ClipException("The model's image preprocessing does not give " + size + " x " + size
						+ " pixels; its preprocessor_config.json should centre-crop to " + size + " pixels.");
				}
				return clip.embedImages(pixels, 1)[0];
			}
		});
	}

	@Override
	public float[] imageEmbedding(File model, RandomAccessibleInterval<?> image) {
		return imageEmbedding(model, ImgLib2Images.toImagePlus(image, "image"));
	}

	@Override
	public float[] textEmbedding(File model, String text) {
		Objects.requireNonNull(text, "text");
		return DjlInFiji.call(() -> {
			try (ModelLease lease = model(model, AUTO)) {
				return lease.model().embedTexts(List.of(text))[0];
			}
		});
	}

	@Override
	public ColorResult color(File model, String prompt) {
		return color(model, prompt, ColorOptions.defaults());
	}

	@Override
	public ColorResult color(File model, String prompt, ColorOptions options) {
		return DjlInFiji.call(() -> {
			try (ModelLease lease = model(model, AUTO)) {
				return new ColorOptimizer(lease.model()).optimize(prompt, options);
			}
		});
	}

	@Override
	public ModelCache cache() {
		return cache;
	}

	/** Closes every model no one holds, and the others when their command ends. */
	@Override
	public void dispose() {
		cache.close();
	}

	/** A lease from {@code service}, or, in a context without one, a model loaded for this use only. */
	static ModelLease lease(ClipService service, File model, String device) {
		if (service != null) return service.model(model, device);
		Device d = DeviceChoice.parse(device).resolve();
		return ModelLease.owning(ModelFiles.load(model.toPath(), d));
	}
}
