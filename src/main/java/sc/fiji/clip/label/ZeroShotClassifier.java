package sc.fiji.clip.label;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.io.ModelMemo;
import sc.fiji.clip.model.ClipModel;

/**
 * A zero-shot classifier: one text embedding per label, computed once, against which image embeddings are scored.
 * <p>
 * Each label is put into every template ({@code {}} is the label) and, as in CLIP's zero-shot evaluation, the
 * label's embedding is the mean of the L2-normalised embeddings of its captions, normalised again. Texts are encoded
 * in chunks of at most {@value #TEXT_BATCH} captions, so tens of thousands of labels work. The [labels, projection]
 * array lives in the classifier's own scope on the model's device; close the classifier to free it (the model stays
 * open).
 * <p>
 * Probabilities are the softmax over labels of the scaled cosine similarities (the model's logits), so each image's
 * probabilities sum to 1; with a single label it gets probability 1.
 */
public final class ZeroShotClassifier implements ImageScorer {

	/** Most captions encoded in one call. */
	public static final int TEXT_BATCH = 256;

	private final ClipModel model;
	private final LabelSet labels;
	private final CaptionTemplates templates;
	private final NDManager scope;
	private final NDArray textEmbeddings;
	/** [projection, labels], so that scoring a batch creates nothing in this classifier's scope */
	private final NDArray transposed;
	private final float scale;

	private ZeroShotClassifier(ClipModel model, LabelSet labels, CaptionTemplates templates, NDManager scope,
		NDArray textEmbeddings)
	{
		this.model = model;
		this.labels = labels;
		this.templates = templates;
		this.scope = scope;
		this.textEmbeddings = textEmbeddings;
		this.transposed = textEmbeddings.transpose();
		this.scale = model.scale();
	}

	/** A classifier for {@code labels} with the model's {@linkplain #defaultTemplates default templates}. */
	public static ZeroShotClassifier create(ClipModel model, LabelSet labels) {
		return create(model, labels, null);
	}

	/**
	 * A classifier for {@code labels}, each put into every one of {@code templates} (null: the model's
	 * {@linkplain #defaultTemplates default templates}).
	 */
	public static ZeroShotClassifier create(ClipModel model, LabelSet labels, CaptionTemplates templates) {
		return create(model, labels, templates, null);
	}

	/**
	 * As {@link #create(ClipModel, LabelSet, CaptionTemplates)}, taking the label embeddings from {@code memo} when
	 * they were computed before for the same labels and templates (and keeping them there when not): a model lent by
	 * a {@link sc.fiji.clip.io.ModelCache} encodes a label set once, however many runs use it. A null memo keeps
	 * nothing.
	 */
	public static ZeroShotClassifier create(ClipModel model, LabelSet labels, CaptionTemplates templates, ModelMemo memo) {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(labels, "labels");
		CaptionTemplates t = templates != null ? templates : defaultTemplates(model);
		float[] all = memo == null ? embed(model, labels, t)
			: memo.get(List.of(ZeroShotClassifier.class, labels, t), () -> embed(model, labels, t));
		int dim = model.config().projection_dim;
		NDManager scope = model.newScope();
		try {
			NDArray embeddings = scope.create(all, new Shape(labels.size(), dim));
			return new ZeroShotClassifier(model, labels, t, scope, embeddings);
		} catch (RuntimeException e) {
			scope.close();
			throw e;
		}
	}

	/** The ensembled, normalised label embeddings, row after row. */
	private static float[] embed(ClipModel model, LabelSet labels, CaptionTemplates t) {
		int dim = model.config().projection_dim;
		int perChunk = Math.max(1, TEXT_BATCH / t.size());
		float[] all = new float[labels.size() * dim];
		for (int start = 0; start < labels.size(); start += perChunk) {
			int end = Math.min(labels.size(), start + perChunk);
			List<String> captions = new ArrayList<>((end - start) * t.size());
			for (int i = start; i < end; i++) captions.addAll(t.apply(labels.get(i)));
			try (NDManager chunk = model.newScope()) {
				NDArray perTemplate = model.encodeTexts(captions, chunk).reshape(end - start, t.size(), dim);
				NDArray ensembled = ClipModel.normalize(perTemplate.mean(new int[] { 1 }));
				System.arraycopy(ensembled.toFloatArray(), 0, all, start * dim, (end - start) * dim);
			}
		}
		return all;
	}

	/**
	 * The templates a model was trained with ({@code fiji_clip.templates} of its config), or the single template
	 * {@value CaptionTemplates#DEFAULT_TEMPLATE} when it has none.
	 */
	public static CaptionTemplates defaultTemplates(ClipModel model) {
		List<String> trained = model.config().fiji_clip.templates;
		if (trained == null || trained.isEmpty()) return CaptionTemplates.defaults();
		return CaptionTemplates.of(trained);
	}

	/** The labels, in the order of the embeddings and probabilities. */
	@Override
	public LabelSet labels() {
		return labels;
	}

	/** The templates the label embeddings were made with. */
	public CaptionTemplates templates() {
		return templates;
	}

	/** The multiplier of cosine similarities ({@link ClipModel#scale()}) used for the probabilities. */
	public float scale() {
		return scale;
	}

	/** The model the embeddings belong to. */
	@Override
	public ClipModel model() {
		return model;
	}

	/** L2-normalised label embeddings [labels, projection], owned by this classifier: do not close them. */
	public NDArray textEmbeddings() {
		return textEmbeddings;
	}

	/** The label embeddings as Java arrays, one row per label. */
	public float[][] textEmbeddingRows() {
		return ClipModel.rows(textEmbeddings);
	}

	/**
	 * Probabilities [images, labels] of normalised image embeddings [images, projection]: the softmax over labels of
	 * the model's scaled cosine similarities. Created in the image embeddings' manager.
	 */
	@Override
	public NDArray probabilities(NDArray imageEmbeddings) {
		return imageEmbeddings.matMul(transposed).mul(scale).softmax(-1);
	}

	@Override
	public void close() {
		scope.close();
	}
}
