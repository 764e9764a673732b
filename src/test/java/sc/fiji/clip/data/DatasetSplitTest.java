package sc.fiji.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DatasetSplitTest {

	private static final Path ROOT = Path.of("/data/set").toAbsolutePath();

	private static CaptionDataset table(int images) {
		List<ImageCaptions> entries = new ArrayList<>();
		for (int i = 0; i < images; i++) {
			Path rel = Path.of(String.format("img_%03d.png", i));
			entries.add(new ImageCaptions(rel, ROOT.resolve(rel), List.of("caption a " + i, "caption b " + i), null));
		}
		return new CaptionDataset(ROOT, DatasetLayout.CAPTION_TABLE, "captions.csv", entries, List.of(),
				CaptionTemplates.defaults(), SkipReport.empty());
	}

	private static CaptionDataset classes(int... perClass) {
		List<ImageCaptions> entries = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (int c = 0; c < perClass.length; c++) {
			String name = "class" + c;
			names.add(name);
			for (int i = 0; i < perClass[c]; i++) {
				Path rel = Path.of(name, i + ".png");
				entries.add(new ImageCaptions(rel, ROOT.resolve(rel), List.of("a photo of a " + name + "."), name));
			}
		}
		return new CaptionDataset(ROOT, DatasetLayout.CLASS_FOLDERS, "class folders", entries, names,
				CaptionTemplates.defaults(), SkipReport.empty());
	}

	private static List<String> names(CaptionDataset d) {
		List<String> names = new ArrayList<>();
		for (ImageCaptions e : d.entries()) names.add(e.name());
		return names;
	}

	@Test
	void sameSeedGivesSameSplitAndOtherSeedsDiffer() {
		CaptionDataset d = table(50);
		DatasetSplit a = DatasetSplit.split(d, 0.2, 7);
		DatasetSplit b = DatasetSplit.split(d, 0.2, 7);
		assertEquals(names(a.val()), names(b.val()));
		assertEquals(names(a.train()), names(b.train()));
		assertNotEquals(names(a.val()), names(DatasetSplit.split(d, 0.2, 8).val()));
		assertEquals(10, a.val().imageCount());
		assertEquals(40, a.train().imageCount());
	}

	@Test
	void splitIsByImageWithAllCaptionsOnOneSide() {
		CaptionDataset d = table(20);
		DatasetSplit s = d.split(0.25, 1);
		Set<String> train = new HashSet<>(names(s.train()));
		Set<String> val = new HashSet<>(names(s.val()));
		assertEquals(20, train.size() + val.size());
		for (String v : val) assertTrue(!train.contains(v), v + " is on both sides");
		assertEquals(2, s.val().entries().get(0).captions().size());
		assertEquals(2 * 20, s.train().captionCount() + s.val().captionCount());
	}

	@Test
	void splitKeepsEntryOrderAndDatasetInfo() {
		CaptionDataset d = classes(6, 6);
		DatasetSplit s = d.split(0.5, 3);
		List<String> train = names(s.train());
		List<String> sorted = new ArrayList<>(train);
		sorted.sort(null);
		assertEquals(sorted, train);
		assertEquals(d.classNames(), s.val().classNames());
		assertEquals(DatasetLayout.CLASS_FOLDERS, s.val().layout());
	}

	@Test
	void atLeastOneValidationImageAndOneTrainingImage() {
		assertEquals(1, table(2).split(0.01, 0).val().imageCount());
		assertEquals(1, table(2).split(0.99, 0).train().imageCount());
		assertEquals(1, table(5).split(0.001, 42).val().imageCount());
		assertEquals(0, table(1).split(0.5, 0).val().imageCount());
		assertEquals(0, table(10).split(0, 0).val().imageCount());
		assertEquals(10, table(10).split(0, 0).train().imageCount());
	}

	@Test
	void classFoldersAreSplitPerClass() {
		DatasetSplit s = classes(10, 10, 10).split(0.1, 5);
		assertEquals(3, s.val().imageCount());
		Set<String> valClasses = new HashSet<>();
		for (ImageCaptions e : s.val().entries()) valClasses.add(e.className().orElseThrow());
		assertEquals(Set.of("class0", "class1", "class2"), valClasses);
	}

	@Test
	void addingImagesMovesFewOldOnesAcross() {
		Set<String> before = new HashSet<>(names(table(100).split(0.2, 9).val()));
		Set<String> after = new HashSet<>(names(table(110).split(0.2, 9).val()));
		before.retainAll(after);
		assertTrue(before.size() >= 15, "only " + before.size() + " of 20 validation images stayed");
	}

	@Test
	void fractionOutOfRangeIsRefused() {
		assertThrows(DatasetException.class, () -> table(5).split(1.0, 0));
		assertThrows(DatasetException.class, () -> table(5).split(-0.1, 0));
		assertThrows(DatasetException.class, () -> table(5).split(Double.NaN, 0));
	}

	@Test
	void rankDependsOnlyOnSeedAndName() {
		assertEquals(DatasetSplit.rank(1, "a.png"), DatasetSplit.rank(1, "a.png"));
		assertNotEquals(DatasetSplit.rank(1, "a.png"), DatasetSplit.rank(2, "a.png"));
		assertNotEquals(DatasetSplit.rank(1, "a.png"), DatasetSplit.rank(1, "b.png"));
	}
}
