package sc.fiji.clip.fiji.macro;

import java.lang.reflect.Field;

import net.imagej.patcher.EssentialLegacyHooks;
import net.imagej.patcher.LegacyHooks;
import net.imagej.patcher.LegacyInjector;

/**
 * ImageJ 1 hooks that pass {@code IJ.log} messages on to {@link HeadlessImageJ}'s listeners and otherwise behave like
 * the patcher's default hooks. This class must not load before {@code LegacyInjector.preinit()} has run: the patcher
 * defines {@link EssentialLegacyHooks} itself, and loading a subclass first would load it unpatched.
 */
final class LogHooks extends EssentialLegacyHooks {

	@Override
	public void log(String message) {
		HeadlessImageJ.dispatchLog(message);
	}

	/**
	 * Installs these hooks if ImageJ 1 still has the patcher's default hooks.
	 *
	 * @return whether they were installed; false if someone else (ImageJ-legacy) installed their own hooks
	 */
	static boolean install() {
		Object current = currentHooks();
		if (current instanceof LogHooks) return true;
		if (current != null && current.getClass() != EssentialLegacyHooks.class) return false;
		LegacyHooks previous = LegacyInjector.installHooks(ij.IJ.class.getClassLoader(), new LogHooks());
		return previous == null || previous.getClass() == EssentialLegacyHooks.class;
	}

	private static Object currentHooks() {
		try {
			Field hooks = ij.IJ.class.getField("_hooks");
			return hooks.get(null);
		} catch (ReflectiveOperationException e) {
			throw new IllegalStateException("ImageJ 1 is not patched (ij.IJ has no _hooks field)", e);
		}
	}
}
