package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ij.ImagePlus;
import ij.VirtualStack;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.imagej.ImagePlanes;
import sc.fiji.clip.model.ClipModel;
import sc.fiji.clip.model.ClipPreset;

/** A 10 000-plane virtual stack is labelled plane by plane with bounded memory. */
class VirtualStackMemoryTest {

	/** Planes made on demand; records which were asked for and keeps weak references to see which are alive. */
	static final class SyntheticStack extends VirtualStack {
		final int planes;
		final List<Integer> requests = new ArrayList<>();
		final List<WeakReference<ImageProcessor>> made = new ArrayList<>();

		SyntheticStack(int width, int height, int planes) {
			super(width, height, null, null);
			this.planes = planes;
		}

		@Override
		public ImageProcessor getProcessor(int n) {
			if (n < 1 || n > planes) throw new IllegalArgumentException("plane " + n + " of " + planes);
			requests.add(n);
			int w = getWidth(), h = getHeight();
			byte[] pixels = new byte[w * h];
			for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i % w * 2 + n);
			ByteProcessor ip = new ByteProcessor(w, h, pixels);
			made.add(new WeakReference<>(ip));
			return ip;
		}

		@Override
		public int getSize() {
			return planes;
		}

		@Override
		public String getSliceLabel(int n) {
			return "plane " + n;
		}

		@Override
		public int getBitDepth() {
			return 8;
		}

		int alive() {
			int alive = 0;
			for (WeakReference<ImageProcessor> r : made) if (r.get() != null) alive++;
			return alive;
		}
	}

	private static long usedHeap() {
		Runtime rt = Runtime.getRuntime();
		for (int i = 0; i < 3; i++) System.gc();
		return rt.totalMemory() - rt.freeMemory();
	}

	@Test
	void tenThousandPlaneVirtualStackStreamsWithBoundedMemory() {
		int planes = 10_000, batch = 256, side = 128; // 16 KB a plane: 160 MB if all were kept
		try (ClipModel model = ClipModel.create(ClipPreset.TINY.config(), 5, Device.cpu())) {
			BaseNDManager base = (BaseNDManager) model.weights().manager().getParentManager();
			try (NDManager warm = model.newScope()) { // builds the frozen layers' fused projections
				model.encodeImages(warm.zeros(new Shape(1, 3, model.imageSize(), model.imageSize())));
				model.encodeTexts(List.of("warm"), warm);
			}
			int arraysBefore = base.getManagedArrays().size();
			SyntheticStack stack = new SyntheticStack(side, side, planes);
			ImagePlus imp = new ImagePlus("virtual", stack);
			int requestedByImagePlus = stack.requests.size();
			long heapBefore = usedHeap();
			long[] maxAlive = { 0 };
			AtomicLong rows = new AtomicLong();
			List<Long> done = new ArrayList<>();
			ProgressListener listener = (d, total) -> {
				done.add(d);
				assertEquals(planes, total);
				System.gc();
				maxAlive[0] = Math.max(maxAlive[0], stack.alive());
			};
			LabelSummary summary;
			long start = System.nanoTime();
			try (ZeroShotClassifier classifier = ZeroShotClassifier.create(model, LabelSet.of("dark", "light", "stripes"))) {
				int arraysWithClassifier = base.getManagedArrays().size();
				summary = ZeroShotLabeller.builder(classifier).batchSize(batch).topK(2).progress(listener).build().label(List.of(ImagePlanes.input(imp)), r -> {
					rows.incrementAndGet();
					assertTrue(r.slice() >= 1 && r.slice() <= planes);
				});
				assertEquals(arraysWithClassifier, base.getManagedArrays().size(), "no arrays left from the batches");
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			long heapGrowth = usedHeap() - heapBefore;
			System.out.printf("virtual stack: %d planes in %.1f s (%.0f planes/s), heap growth %.1f MB, max alive %d%n",
				planes, seconds, planes / seconds, heapGrowth / 1e6, maxAlive[0]);

			assertEquals(planes, rows.get());
			assertEquals(planes, summary.planes());
			assertFalse(summary.cancelled());
			assertEquals((planes + batch - 1) / batch, done.size(), "progress after every batch");
			List<Integer> labelling = stack.requests.subList(requestedByImagePlus, stack.requests.size());
			assertEquals(planes, labelling.size(), "each plane read exactly once");
			for (int i = 0; i < planes; i++) assertEquals(i + 1, (int) labelling.get(i), "planes read in order");
			assertTrue(maxAlive[0] <= batch + 4, "planes alive between batches: " + maxAlive[0]);
			assertTrue(heapGrowth < 32_000_000L, "heap grew by " + heapGrowth + " bytes");
			assertEquals(arraysBefore, base.getManagedArrays().size(), "the model's manager holds no extra arrays");
		}
	}
}
