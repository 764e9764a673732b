package sc.fiji.clip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkSuiteTest {

	private static final List<String> ALL = List.of("reference", "fashion-mnist", "large-model", "startup", "memory");

	@Test
	void keptSectionsKeepTheRunTheyWereMeasuredIn() {
		// the previous file: fashion-mnist measured in run B, the rest kept from run A
		JsonObject old = JsonParser.parseString("{\"machine\": {\"commit\": \"B\"},"
			+ " \"reference\": {}, \"fashion-mnist\": {\"x\": 1}, \"large-model\": {}, \"startup\": {}, \"memory\": {},"
			+ " \"earlier_run\": {\"sections\": [\"reference\", \"large-model\", \"startup\", \"memory\"],"
			+ " \"machine\": {\"commit\": \"A\"}}}").getAsJsonObject();
		JsonObject results = new JsonObject();
		BenchmarkSuite.keepEarlierSections(results, old, ALL, List.of("reference"));

		assertFalse(results.has("reference"), "the section run now is not copied");
		assertEquals(1, results.getAsJsonObject("fashion-mnist").get("x").getAsInt());
		JsonArray runs = results.getAsJsonArray("earlier_runs");
		assertEquals(2, runs.size());
		JsonObject b = runs.get(0).getAsJsonObject(), a = runs.get(1).getAsJsonObject();
		assertEquals("B", b.getAsJsonObject("machine").get("commit").getAsString());
		assertEquals(List.of("fashion-mnist"), strings(b.getAsJsonArray("sections")));
		assertEquals("A", a.getAsJsonObject("machine").get("commit").getAsString());
		assertEquals(List.of("large-model", "startup", "memory"), strings(a.getAsJsonArray("sections")));
		String md = ResultsTable.earlierRuns(results);
		assertTrue(md.contains("Section fashion-mnist is from an earlier run: commit B"), md);
		assertTrue(md.contains("Sections large-model, startup, memory are from an earlier run: commit A"), md);
	}

	private static List<String> strings(JsonArray a) {
		List<String> s = new java.util.ArrayList<>();
		a.forEach(e -> s.add(e.getAsString()));
		return s;
	}
}
