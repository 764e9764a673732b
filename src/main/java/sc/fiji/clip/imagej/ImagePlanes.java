package sc.fiji.clip.imagej;

import ij.ImagePlus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import sc.fiji.clip.image.RgbImage;
import sc.fiji.clip.label.ArgbPlane;
import sc.fiji.clip.label.LabelInput;
import sc.fiji.clip.label.PlaneGroup;

/**
 * An ImageJ image's planes, as displayed, in the core's types: a {@link LabelInput} for the labelling pipeline, a
 * {@link PlaneGroup}, or lazy {@link ArgbPlane}s for tiles and ROIs. Each plane is read from the image only when it
 * is encoded, so a virtual stack stays virtual.
 */
public final class ImagePlanes {

	private ImagePlanes() {}

	/** An open image to label, its rows named by its title. */
	public static LabelInput input(ImagePlus imp) {
		Objects.requireNonNull(imp, "image");
		return input(imp, imp.getTitle());
	}

	/** An open image to label, its rows named {@code name}. */
	public static LabelInput input(ImagePlus imp, String name) {
		Objects.requireNonNull(imp, "image");
		return LabelInput.of((groupName, merge) -> group(groupName, imp, merge), name);
	}

	/** An open image's planes as one group; never skipped (a failure is the caller's to see). */
	public static PlaneGroup group(String name, ImagePlus imp, boolean mergeChannels) {
		int count = new PlaneReader(imp, mergeChannels).count();
		return new PlaneGroup() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public long estimate() {
				return count;
			}

			@Override
			public boolean skippable() {
				return false;
			}

			@Override
			public Planes open() {
				return planes(imp, mergeChannels, () -> {});
			}
		};
	}

	/** The planes {@code imp} shows; {@code onClose} runs when they are closed (to flush an image read from a file). */
	public static PlaneGroup.Planes planes(ImagePlus imp, boolean mergeChannels, Runnable onClose) {
		PlaneReader reader = new PlaneReader(imp, mergeChannels);
		return new PlaneGroup.Planes() {
			@Override
			public int count() {
				return reader.count();
			}

			@Override
			public int[] position(int i) {
				return reader.position(i);
			}

			@Override
			public RgbImage rgb(int i) {
				return reader.rgb(i);
			}

			@Override
			public void close() {
				onClose.run();
			}
		};
	}

	/**
	 * Every plane of {@code imp} as displayed ({@code mergeChannels}: one composite per slice and frame), each read
	 * from the image when {@link ArgbPlane#pixels()} is called, so only the plane being labelled is held.
	 */
	public static List<ArgbPlane> argb(ImagePlus imp, boolean mergeChannels) {
		PlaneReader reader = new PlaneReader(imp, mergeChannels);
		List<ArgbPlane> planes = new ArrayList<>();
		for (int i = 0; i < reader.count(); i++) {
			int[] p = reader.position(i);
			int index = i;
			planes.add(ArgbPlane.lazy(() -> ArgbPlane.argb(reader.rgb(index)), imp.getWidth(), imp.getHeight(), p[0], p[1],
				p[2]));
		}
		return planes;
	}
}
