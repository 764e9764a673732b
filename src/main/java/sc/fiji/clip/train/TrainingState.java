package sc.fiji.clip.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.List;

/** Where a training stands, saved in every checkpoint ({@code trainer-state.json}) so that it can resume exactly. */
final class TrainingState {

	static final String ENTRY = "trainer-state.json";
	static final String OPTIMIZER_ENTRY = "optimizer.safetensors";
	static final String AVERAGE_ENTRY = "weight-average.safetensors";
	private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting().create();

	int step;
	int epoch;
	int batchInEpoch;
	int totalSteps;
	double seconds;
	double best = Double.NEGATIVE_INFINITY;
	String optionsJson;
	List<EpochRecord> records = new ArrayList<>();

	String toJson() {
		return GSON.toJson(this);
	}

	static TrainingState fromJson(String json) {
		return GSON.fromJson(json, TrainingState.class);
	}
}
