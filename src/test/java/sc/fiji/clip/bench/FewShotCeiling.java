package sc.fiji.clip.bench;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.fewshot.FewShotMethod;

/**
 * Yardsticks for {@link FewShotTransfer}'s target at k = 16: what the whole 2 000-image pool of each of classes 5-9
 * gives the linear probe on the pretrained model's embeddings (the most any probe of those embeddings can reach) and
 * {@code small} trained from scratch (the pretraining's recipe); {@link SelfTraining} on the rest of the pool; and,
 * with a Python that has torch, {@code bench/reference/few_shot_ceiling.py} on the same data and draws: logistic
 * regression on the pixels, and a CNN trained from scratch, pretrained with class labels on classes 0-4 then probed
 * or fine-tuned, and trained on the whole pool. {@link FewShotCeilingTable} renders them.
 */
final class FewShotCeiling {

	private static final Path SCRIPT = Path.of("bench/reference/few_shot_ceiling.py");

	private FewShotCeiling() {}

	static Map<String, Object> measure(Path work, Path train, Path newTest, Path pretrained, int pretrainSteps,
		CaptionTemplates templates, double[] selfTraining, int threads, int draws, String python)
		throws IOException, InterruptedException
	{
		Map<String, Object> result = new LinkedHashMap<>();
		Path pool = FewShotTransfer.classes(train, FewShotTransfer.NEW, FewShotTransfer.POOL, work.resolve("new-pool"));
		long t = System.nanoTime();
		result.put("probe_pool", FewShotTransfer.fewShot(pretrained, pool, newTest, FewShotMethod.PROBE, templates));
		result.put("probe_pool_seconds", FewShotTransfer.seconds(t));
		Path scratch = work.resolve("models/scratch-pool-" + pretrainSteps + ".zip");
		result.put("scratch_pool_train_seconds", FewShotTransfer.trainedOnce(scratch, pretrainSteps, pool, templates, threads));
		t = System.nanoTime();
		result.put("scratch_pool", FewShotTransfer.zeroShot(scratch, newTest, templates));
		result.put("scratch_pool_eval_seconds", FewShotTransfer.seconds(t));
		System.out.println("[few-shot ceiling] " + result);
		if (selfTraining.length > 0) {
			result.put("self_training", SelfTraining.measure(work, train, pool, newTest, templates, pretrainSteps,
				selfTraining, threads, draws));
		}
		if (python != null) result.put("reference", reference(work, train, threads, draws, python));
		return result;
	}

	/** few_shot_ceiling.py's JSON, on the k = 16 draws the benchmark uses. */
	private static Map<String, Object> reference(Path work, Path train, int threads, int draws, String python)
		throws IOException, InterruptedException
	{
		for (int draw = 1; draw <= draws; draw++) FewShotTransfer.draw(train, 16, draw);
		Path out = work.resolve("ceiling-reference.json"), log = work.resolve("ceiling-reference.log");
		List<String> command = List.of(python, SCRIPT.toString(), "--shots", work.resolve("shots").toString(), "--k", "16",
			"--draws", Integer.toString(draws), "--threads", Integer.toString(threads), "--out", out.toString());
		String json = Bench.runPython(command, log, out, threads);
		return new Gson().fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
	}
}
