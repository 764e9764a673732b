package sc.fiji.clip.label;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sc.fiji.clip.image.ClipImageProcessor;
import sc.fiji.clip.image.ImagePreprocessing;
import sc.fiji.clip.image.RgbImage;

class ParallelPreprocessingTest {

	private final ClipImageProcessor processor = new ClipImageProcessor(ImagePreprocessing.openAiClip(32));

	@Test
	void planesPreprocessedOnWorkersEqualThoseDoneInTheCallersThread() {
		Random random = new Random(5);
		RgbImage[] planes = new RgbImage[40];
		for (int i = 0; i < planes.length; i++) {
			byte[] data = new byte[(20 + i) * (50 - i) * 3];
			random.nextBytes(data);
			planes[i] = new RgbImage(20 + i, 50 - i, data);
		}
		int plane = 3 * 32 * 32;
		float[] alone = new float[planes.length * plane], parallel = new float[planes.length * plane];
		for (int i = 0; i < planes.length; i++) processor.processInto(planes[i], alone, i * plane);
		FloatBuffer direct = ByteBuffer.allocateDirect(parallel.length * Float.BYTES).order(ByteOrder.nativeOrder())
			.asFloatBuffer();
		try (ParallelPreprocessing p = new ParallelPreprocessing(processor, 3)) {
			for (int i = 0; i < planes.length; i++) p.submit(planes[i], direct, i * plane);
			p.await();
		}
		direct.get(parallel);
		assertArrayEquals(alone, parallel);
	}

	@Test
	void aFailureOnAWorkerIsRethrownByAwait() {
		try (ParallelPreprocessing p = new ParallelPreprocessing(processor, 2)) {
			p.submit(new RgbImage(8, 8), FloatBuffer.allocate(10), 0);
			assertThrows(IllegalArgumentException.class, p::await);
			FloatBuffer fine = FloatBuffer.allocate(3 * 32 * 32);
			p.submit(new RgbImage(8, 8), fine, 0);
			p.await();
			assertEquals(processor.process(new RgbImage(8, 8))[0], fine.get(0));
		}
	}
}
