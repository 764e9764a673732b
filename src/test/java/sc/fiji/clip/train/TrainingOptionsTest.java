package sc.fiji.clip.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sc.fiji.clip.ClipException;

class TrainingOptionsTest {

	@Test
	void anAutomaticLengthIsTenEpochsButAtLeastTheMinimumSteps() {
		TrainingOptions automatic = TrainingOptions.builder().build();
		assertEquals(TrainingOptions.MIN_AUTOMATIC_STEPS, automatic.totalSteps(3), "a small folder: 3 batches per epoch");
		assertEquals(TrainingOptions.AUTOMATIC_EPOCHS * 500, automatic.totalSteps(500), "a large one: 10 epochs");
	}

	@Test
	void givenEpochsOrStepsAreTrainedAsGiven() {
		assertEquals(6, TrainingOptions.builder().epochs(2).build().totalSteps(3));
		assertEquals(7, TrainingOptions.builder().epochs(2).steps(7).build().totalSteps(3));
	}

	@Test
	void negativeEpochsAreRefusedNamingTheOptionAndTheAutomaticLength() {
		ClipException e = assertThrows(ClipException.class, () -> TrainingOptions.builder().epochs(-1).build());
		assertTrue(e.getMessage().contains("--epochs") && e.getMessage().contains("automatic"), e.getMessage());
	}

	@Test
	void aCheckpointWrittenBeforeCropAreaExistedReadsTheDefaultCropArea() {
		TrainingOptions old = TrainingOptions.fromJson("{\"preset\":\"tiny\",\"epochs\":10,\"augment\":true}");
		assertEquals(TrainingOptions.DEFAULT_CROP_AREA, old.cropArea());
		assertEquals(30, old.totalSteps(3), "an old checkpoint's 10 epochs stay 10 epochs");
	}
}
