package sc.fiji.clip.bench;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import sc.fiji.clip.data.CaptionTemplates;
import sc.fiji.clip.io.ModelFiles;
import sc.fiji.clip.label.ImageScorer;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.LabelResult;
import sc.fiji.clip.label.LabelSet;
import sc.fiji.clip.label.ZeroShotClassifier;
import sc.fiji.clip.label.ZeroShotLabeller;
import sc.fiji.clip.model.ClipModel;

/**
 * A yardstick of {@link FewShotCeiling}: self-training at k = 16, for the lab that has 16 labelled images per class
 * and many unlabelled ones. {@code small} trained from scratch on the 16 images (as the from-scratch row) labels the
 * rest of the pool, whose classes it is not told; the most confident {@code fraction} of each class it predicts joins
 * the 16 images and {@code small} is trained again from scratch with the pretraining's recipe; each further fraction
 * is another round from the last round's model. Everything runs through the commands' code.
 */
final class SelfTraining {

	private SelfTraining() {}

	/** Per draw: the from-scratch model's accuracy, then per round the pseudo-labels kept, how many right, accuracy. */
	static List<Map<String, Object>> measure(Path work, Path train, Path pool, Path newTest, CaptionTemplates templates,
		int steps, double[] fractions, int threads, int draws) throws IOException
	{
		List<String> names = FewShotTransfer.NEW.stream().map(c -> c.replace('_', ' ')).collect(Collectors.toList());
		List<Map<String, Object>> result = new ArrayList<>();
		for (int draw = 1; draw <= draws; draw++) {
			Path shots = FewShotTransfer.draw(train, 16, draw);
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("draw", draw);
			Path model = FewShotTransfer.scratchModel(work, 16, draw);
			if (!Files.exists(model)) FewShotTransfer.scratch(work, shots, 16, draw, templates, threads);
			row.put("start", FewShotTransfer.zeroShot(model, newTest, templates));
			Map<Path, String> unlabelled = unlabelled(pool, shots);
			List<Map<String, Object>> rounds = new ArrayList<>();
			for (int r = 0; r < fractions.length; r++) {
				long t = System.nanoTime();
				Map<String, Object> round = new LinkedHashMap<>();
				round.put("fraction", fractions[r]);
				Path folder = work.resolve("self-training/d" + draw + "-r" + (r + 1));
				pseudoLabelled(model, names, templates, unlabelled, fractions[r], shots, folder, round);
				model = work.resolve("models/self-training-" + draw + "-" + (r + 1) + ".zip");
				FewShotTransfer.trainWithPretrainingRecipe(model, steps, folder, templates, threads);
				round.put("accuracy", FewShotTransfer.zeroShot(model, newTest, templates));
				round.put("seconds", FewShotTransfer.seconds(t));
				rounds.add(round);
			}
			row.put("rounds", rounds);
			System.out.println("[few-shot self-training] " + row);
			result.add(row);
		}
		return result;
	}

	/** The pool's images that are not among the shots, each with its true class folder (for counting only). */
	private static Map<Path, String> unlabelled(Path pool, Path shots) throws IOException {
		Map<Path, String> images = new LinkedHashMap<>();
		for (String c : FewShotTransfer.NEW) {
			try (Stream<Path> s = Files.list(pool.resolve(c))) {
				s.filter(p -> !Files.exists(shots.resolve(c).resolve(p.getFileName()))).sorted()
					.forEach(p -> images.put(p, c));
			}
		}
		return images;
	}

	/** Writes class folders of the shots and the {@code fraction} most confident of each class {@code model} predicts. */
	private static void pseudoLabelled(Path model, List<String> names, CaptionTemplates templates,
		Map<Path, String> unlabelled, double fraction, Path shots, Path target, Map<String, Object> round)
		throws IOException
	{
		Map<String, Path> byName = new HashMap<>();
		List<LabelInput> inputs = new ArrayList<>();
		for (Map.Entry<Path, String> e : unlabelled.entrySet()) {
			String name = e.getValue() + "-" + e.getKey().getFileName();
			byName.put(name, e.getKey());
			inputs.add(LabelInput.of(e.getKey(), name));
		}
		Map<String, List<LabelResult>> byClass = new HashMap<>();
		try (ClipModel clip = ModelFiles.load(model, Device.cpu());
			ImageScorer scorer = ZeroShotClassifier.create(clip, LabelSet.of(names), templates))
		{
			ZeroShotLabeller.builder(scorer).build().label(inputs,
				row -> byClass.computeIfAbsent(row.label(), c -> new ArrayList<>()).add(row));
		}
		delete(target);
		int kept = 0, right = 0;
		for (int c = 0; c < names.size(); c++) {
			String folder = FewShotTransfer.NEW.get(c);
			Path dir = Files.createDirectories(target.resolve(folder));
			try (Stream<Path> s = Files.list(shots.resolve(folder))) {
				for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, dir.resolve(p.getFileName()));
			}
			List<LabelResult> rows = byClass.getOrDefault(names.get(c), new ArrayList<>());
			rows.sort(Comparator.comparingDouble((LabelResult r) -> r.score()).reversed());
			for (LabelResult r : rows.subList(0, (int) Math.round(fraction * rows.size()))) {
				Path source = byName.get(r.image());
				Files.copy(source, dir.resolve(r.image()));
				kept++;
				if (unlabelled.get(source).equals(folder)) right++;
			}
		}
		round.put("unlabelled", unlabelled.size());
		round.put("kept", kept);
		round.put("right", right);
	}

	private static void delete(Path dir) throws IOException {
		if (!Files.exists(dir)) return;
		try (Stream<Path> s = Files.walk(dir)) {
			for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
		}
	}
}
