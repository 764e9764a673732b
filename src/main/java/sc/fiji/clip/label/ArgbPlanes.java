package sc.fiji.clip.label;

import java.util.List;
import sc.fiji.clip.image.RgbImage;

/** ImgLib2 planes as a {@link PlaneGroup}: each plane's view is read when its turn comes. */
final class ArgbPlanes implements PlaneGroup {

	private final String name;
	private final List<ArgbPlane> planes;

	ArgbPlanes(String name, List<ArgbPlane> planes) {
		this.name = name;
		this.planes = List.copyOf(planes);
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public long estimate() {
		return planes.size();
	}

	@Override
	public boolean skippable() {
		return false;
	}

	@Override
	public Planes open() {
		return new Planes() {
			@Override
			public int count() {
				return planes.size();
			}

			@Override
			public int[] position(int i) {
				return planes.get(i).position();
			}

			@Override
			public RgbImage rgb(int i) {
				return ArgbPlane.rgb(planes.get(i).pixels());
			}

			@Override
			public void close() {}
		};
	}
}
