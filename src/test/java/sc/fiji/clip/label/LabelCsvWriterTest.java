package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelCsvWriterTest {

	private static LabelResult row(String image, int c, String[] labels, float[] scores, float[] all) {
		return new LabelResult(image, c, 2, 3, labels, scores, all, null);
	}

	@Test
	void headerHasTopKPairsThenOneProbabilityColumnPerLabelAsGiven() {
		LabelSet labels = LabelSet.of("cell", "a, b", "say \"hi\"");
		assertEquals(List.of("image", "c", "z", "t", "label", "score", "label2", "score2", "p:cell", "\"p:a, b\"",
			"\"p:say \"\"hi\"\"\""), LabelCsvWriter.header(2, labels));
		assertEquals(List.of("image", "c", "z", "t", "label", "score"), LabelCsvWriter.header(1, null));
	}

	@Test
	void rowsAreQuotedAsRfc4180WithSixDecimalsAndEmptyChannelWhenMerged() {
		StringWriter out = new StringWriter();
		LabelSet labels = LabelSet.of("x", "a, b", "line\nbreak");
		LabelCsvWriter csv = new LabelCsvWriter(out, 2, labels);
		csv.accept(row("dir/img,1.tif", 1, new String[] { "a, b", "x" }, new float[] { 0.75f, 0.2f },
			new float[] { 0.2f, 0.75f, 0.05f }));
		csv.accept(row("q\"uote.png", 0, new String[] { "line\nbreak", "x" }, new float[] { 0.9999996f, 1e-7f },
			new float[] { 1e-7f, 0f, 0.9999996f }));
		assertEquals("image,c,z,t,label,score,label2,score2,p:x,\"p:a, b\",\"p:line\nbreak\"\n"
			+ "\"dir/img,1.tif\",1,2,3,\"a, b\",0.750000,x,0.200000,0.200000,0.750000,0.050000\n"
			+ "\"q\"\"uote.png\",,2,3,\"line\nbreak\",1.000000,x,0.000000,0.000000,0.000000,1.000000\n", out.toString());
	}

	@Test
	void rowWithoutTheColumnsTheHeaderPromisesIsRefused() {
		LabelCsvWriter csv = new LabelCsvWriter(new StringWriter(), 1, LabelSet.of("a"));
		assertThrows(IllegalArgumentException.class,
			() -> csv.accept(row("i", 1, new String[] { "a" }, new float[] { 1f }, null)));
	}

	@Test
	void probabilitiesAreRoundedToSixDecimals() {
		StringBuilder sb = new StringBuilder();
		for (float p : new float[] { 0f, 1f, 0.5f, 0.0000004f, 0.0000006f, 0.123456789f, 0.9999994f }) {
			LabelCsvWriter.appendProbability(sb, p);
			sb.append(' ');
		}
		assertEquals("0.000000 1.000000 0.500000 0.000000 0.000001 0.123457 0.999999 ", sb.toString());
	}
}
