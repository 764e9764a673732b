package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.engine.BatchThreads;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

class WeightAverageTest {

	private static Map<String, NDArray> weights(NDManager m, float a, float b) {
		Map<String, NDArray> w = new LinkedHashMap<>();
		w.put("a", m.create(new float[] { a, 2 * a }));
		w.put("b", m.create(new float[] { b }));
		return w;
	}

	@Test
	void averagesMoveTowardsTheWeightsWithAWarmedUpDecay() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			Map<String, NDArray> w = weights(m, 1, 4);
			try (WeightAverage average = new WeightAverage(m, w, 0.5)) {
				assertEquals(0.1, average.decayAt(0), 1e-12, "(1 + 0) / (10 + 0)");
				assertEquals(0.5, average.decayAt(100), 1e-12, "then the decay asked for");
				w.get("a").muli(0).addi(m.create(new float[] { 11, 22 }));
				average.update(w, null);
				average.swap(w);
				// the average moved 0.9 of the way from 1 to 11
				assertArrayEquals(new float[] { 10, 20 }, w.get("a").toFloatArray(), 1e-5f);
				assertArrayEquals(new float[] { 4 }, w.get("b").toFloatArray(), 1e-6f, "unchanged weight, unchanged average");
				average.swap(w);
				assertArrayEquals(new float[] { 11, 22 }, w.get("a").toFloatArray(), "a second swap gives the weights back");
				assertEquals(1, average.updateCount());
			}
		}
	}

	@Test
	void updatesSharedOverThreadsEqualUpdatesOnOneThread() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu());
			BatchThreads threads = BatchThreads.start(2, "average-test"))
		{
			Map<String, NDArray> w1 = weights(m, 1, 2), w2 = weights(m, 1, 2);
			try (WeightAverage one = new WeightAverage(m, w1, 0.9); WeightAverage two = new WeightAverage(m, w2, 0.9)) {
				for (int step = 0; step < 5; step++) {
					float shift = step + 0.5f;
					for (Map<String, NDArray> w : List.of(w1, w2)) w.values().forEach(a -> a.addi(shift));
					one.update(w1, null);
					two.update(w2, threads);
				}
				one.swap(w1);
				two.swap(w2);
				for (String name : w1.keySet()) assertArrayEquals(w1.get(name).toFloatArray(), w2.get(name).toFloatArray(), name);
			}
		}
	}

	@Test
	void savedStateRestoresTheAveragesAndCount() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			Map<String, NDArray> w = weights(m, 1, 2);
			NDList saved;
			try (WeightAverage average = new WeightAverage(m, w, 0.9)) {
				w.values().forEach(a -> a.addi(3));
				average.update(w, null);
				saved = new NDList();
				for (NDArray a : average.state()) {
					NDArray copy = a.duplicate();
					copy.setName(a.getName());
					copy.attach(m);
					saved.add(copy);
				}
			}
			assertEquals("average.a", saved.get(0).getName());
			Map<String, NDArray> fresh = weights(m, 0, 0);
			try (WeightAverage restored = new WeightAverage(m, fresh, 0.9)) {
				restored.restore(saved, 1);
				assertEquals(1, restored.updateCount());
				restored.swap(fresh);
				assertArrayEquals(new float[] { 3.7f, 4.7f }, fresh.get("a").toFloatArray(), 1e-5f, "1 + 0.9 * 3, 2 + 0.9 * 3");
				assertArrayEquals(new float[] { 4.7f }, fresh.get("b").toFloatArray(), 1e-5f);
			}
		}
	}

	@Test
	void swappingIntoFrozenWeightsChangesWhatTheyEncode() {
		try (ClipModel model = ClipModel.create(ClipPreset.SMALL.config(), 6, Device.cpu())) {
			model.weights().setTrainable(false);
			WeightAverage average = new WeightAverage(model.weights().manager(), model.weights().byName(), 0.9);
			float[] original = textEmbeddings(model);
			model.weights().get("text_model.encoder.layers.0.self_attn.q_proj.weight").muli(3);
			model.weights().contentsChanged();
			float[] changed = textEmbeddings(model);
			average.swap(model.weights());
			assertArrayEquals(original, textEmbeddings(model), 1e-6f, "the average (the original weights) is encoded");
			average.swap(model.weights());
			assertArrayEquals(changed, textEmbeddings(model), 1e-6f, "swapped back");
		}
	}

	private static float[] textEmbeddings(ClipModel model) {
		try (NDManager scope = model.newScope()) {
			return model.encodeTexts(List.of("a red circle", "two blue squares"), scope).toFloatArray();
		}
	}

	@Test
	void decayOutsideZeroToOneIsRefused() {
		try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
			assertThrows(IllegalArgumentException.class, () -> new WeightAverage(m, weights(m, 1, 1), 1.0));
		}
	}
}
