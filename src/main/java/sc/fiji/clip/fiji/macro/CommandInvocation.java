package sc.fiji.clip.fiji.macro;

import sc.fiji.clip.ClipException;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.convert.ConvertService;
import org.scijava.event.EventService;
import org.scijava.event.EventSubscriber;
import org.scijava.module.Module;
import org.scijava.module.ModuleException;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.module.event.ModuleErroredEvent;
import org.scijava.service.Service;
import org.scijava.widget.Button;
import org.scijava.widget.TextWidget;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.measure.ResultsTable;
import ij.plugin.frame.Recorder;

/** One run of a registered command with the options of a macro {@code run(label, options)} call. */
final class CommandInvocation {

	private final MacroCommandBridge.Registration registration;

	CommandInvocation(MacroCommandBridge.Registration registration) {
		this.registration = registration;
	}

	/**
	 * Converts the options, runs the command with SciJava's pre- and postprocessing, shows image and table outputs,
	 * and records the call when ImageJ's recorder is on.
	 *
	 * @throws MacroCommandException with a message for the macro's user, starting with the command's label
	 */
	Module run(String options) throws MacroCommandException {
		return run(options, false);
	}

	/**
	 * As {@link #run(String)}; {@code complete}: the options come from the command's own dialog, so an input they
	 * leave out (an empty file field) is meant to stay empty rather than be asked for.
	 */
	Module run(String options, boolean complete) throws MacroCommandException {
		Context context = registration.context;
		ModuleService moduleService = context.getService(ModuleService.class);
		if (moduleService == null) {
			throw fail("cannot run, its SciJava context has no module service (was it disposed?)");
		}
		Map<String, Object> parsed;
		try {
			parsed = MacroOptions.parse(options);
		} catch (IllegalArgumentException e) {
			throw fail(e.getMessage());
		}
		Module module;
		try {
			module = registration.info.createModule();
			context.inject(module);
		} catch (ModuleException | RuntimeException e) {
			throw fail("could not be created: " + describe(e));
		}
		ConvertService convertService = context.getService(ConvertService.class);
		Map<String, Object> inputs = new LinkedHashMap<>();
		List<ModuleItem<?>> omitted = inputs(module, parsed, convertService, inputs);
		if (complete) {
			for (ModuleItem<?> item : omitted) module.resolveInput(item.getName());
			omitted = List.of();
		} else if (!omitted.isEmpty()) {
			omitted = askOrLeave(module, omitted, convertService, inputs);
		}
		execute(moduleService, context.getService(EventService.class), module, inputs);
		if (!omitted.isEmpty()) IJ.log(notGiven(module, omitted));
		showOutputs(module, inputs);
		record(registration.label, recordedOptions(module));
		return module;
	}

	/**
	 * Converts the given options into {@code inputs} and returns the inputs they leave out. As in Fiji, where
	 * imagej-legacy's {@code MacroPreprocessor} reads each input with {@code ij.Macro.getValue} and resolves only
	 * those with a {@code key=value}, a left-out input stays unresolved; a bare keyword is no value there, so here it
	 * is an error that names the fix.
	 */
	private List<ModuleItem<?>> inputs(Module module, Map<String, Object> parsed, ConvertService convertService,
			Map<String, Object> inputs) throws MacroCommandException {
		int imageInputs = 0;
		for (ModuleItem<?> item : module.getInfo().inputs()) {
			if (!isInjected(item.getType()) && ImagePlus.class.isAssignableFrom(item.getType())) imageInputs++;
		}
		Map<String, String> names = new LinkedHashMap<>();
		List<ModuleItem<?>> omitted = new ArrayList<>();
		for (ModuleItem<?> item : module.getInfo().inputs()) {
			Class<?> type = item.getType();
			String name = item.getName();
			if (isInjected(type)) continue;
			if (item.getVisibility() == ItemVisibility.MESSAGE || Button.class.isAssignableFrom(type)) {
				module.resolveInput(name);
				continue;
			}
			String key = MacroOptions.key(name);
			String other = names.put(key, name);
			if (other != null) {
				throw fail("cannot be run from a macro, its parameters '" + other + "' and '" + name
						+ "' both have the macro option key '" + key + "'");
			}
			Object raw = parsed.get(key);
			if (Boolean.TRUE.equals(raw)) throw fail(bareKeyword(key, item));
			if (ImagePlus.class.isAssignableFrom(type)) {
				ImagePlus imp = image(key, (String) raw, imageInputs == 1);
				if (imp != null) inputs.put(name, imp);
				else omitted.add(item);
			} else if (raw != null) {
				inputs.put(name, value(key, () -> MacroValues.isBoolean(type) ? MacroValues.toBoolean(key, (String) raw)
						: MacroValues.convert(key, (String) raw, item, convertService)));
			} else {
				omitted.add(item);
			}
		}
		List<String> unknown = new ArrayList<>();
		for (String key : parsed.keySet()) {
			if (!names.containsKey(key)) unknown.add(key);
		}
		if (!unknown.isEmpty()) {
			IJ.log("Warning: " + registration.label + " ignored unknown option" + (unknown.size() > 1 ? "s " : " ")
					+ String.join(", ", unknown) + " (it takes: " + String.join(", ", names.keySet()) + ")");
		}
		return omitted;
	}

	private String bareKeyword(String key, ModuleItem<?> item) {
		if (MacroValues.isBoolean(item.getType())) {
			return "'" + key + "' needs a value: write " + key + "=true or " + key + "=false (Fiji reads options only"
					+ " as key=value and would ignore a bare '" + key + "')";
		}
		if (ImagePlus.class.isAssignableFrom(item.getType())) return "'" + key + "' needs an image title: " + key + "=[title]";
		return "'" + key + "' needs a value: " + key + "=...";
	}

	/**
	 * What Fiji does with inputs a macro leaves out: with a display, ImageJ2's input harvester opens a dialog for every
	 * unresolved input ({@code AbstractInputHarvester.addInput} skips only resolved ones), so the dialog here asks for
	 * exactly those; headless, or in {@link MacroCommandBridge#setStrict strict} mode an error, they keep what
	 * SciJava's {@code LoadInputsPreprocessor} gives them: the value remembered from the last run, else the default.
	 *
	 * @return the inputs still not given, which the run reports in the log
	 */
	private List<ModuleItem<?>> askOrLeave(Module module, List<ModuleItem<?>> omitted, ConvertService convertService,
			Map<String, Object> inputs) throws MacroCommandException {
		if (MacroCommandBridge.isStrict()) {
			List<String> keys = new ArrayList<>();
			for (ModuleItem<?> item : omitted) keys.add(MacroOptions.key(item.getName()) + "=...");
			throw fail("the options leave out " + String.join(" ", keys) + ": in Fiji a dialog would open for "
					+ (omitted.size() == 1 ? "it" : "them") + " in the middle of the macro; give every input as key=value"
					+ " (as the Recorder writes it)");
		}
		InputsDialog dialog = SciJavaPlugIn.dialog();
		if (dialog == null) {
			for (ModuleItem<?> item : omitted) {
				if (item.isRequired() && !item.getType().isPrimitive() && item.getValue(module) == null
						&& isBlank(item.getInitializer())
						&& registration.context.service(ModuleService.class).load(item) == null) {
					throw fail(missing(MacroOptions.key(item.getName()), item));
				}
			}
			return omitted;
		}
		Set<String> wanted = new HashSet<>();
		for (ModuleItem<?> item : omitted) wanted.add(MacroOptions.key(item.getName()));
		String answer = CommandDialog.ask(registration, dialog, wanted);
		if (answer == null) throw new MacroCommandException(registration.label + " was canceled in its dialog");
		Map<String, Object> given = new LinkedHashMap<>();
		try {
			given.putAll(MacroOptions.parse(answer));
		} catch (IllegalArgumentException e) {
			throw fail(e.getMessage());
		}
		for (ModuleItem<?> item : omitted) {
			String key = MacroOptions.key(item.getName());
			Object raw = given.get(key);
			if (raw == null) {
				module.resolveInput(item.getName()); // an empty file field: empty on purpose
			} else if (ImagePlus.class.isAssignableFrom(item.getType())) {
				inputs.put(item.getName(), image(key, (String) raw, false));
			} else {
				inputs.put(item.getName(), value(key, () -> MacroValues.isBoolean(item.getType())
						? MacroValues.toBoolean(key, (String) raw) : MacroValues.convert(key, (String) raw, item, convertService)));
			}
		}
		return List.of();
	}

	/** The log line for inputs a run took from memory or defaults: {@code Label Images: not given, so ...: topk=1}. */
	private String notGiven(Module module, List<ModuleItem<?>> omitted) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (ModuleItem<?> item : omitted) {
			Object v = module.getInput(item.getName());
			values.put(MacroOptions.key(item.getName()), v instanceof ImagePlus ? ((ImagePlus) v).getTitle()
					: v == null ? "" : v);
		}
		StringBuilder sb = new StringBuilder();
		values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(MacroOptions.formatValue(v)));
		return registration.label + ": not given in the options, so remembered or default values were used: " + sb
				+ " (in Fiji with a display a dialog would ask for them)";
	}

	private Object value(String key, Supplier<Object> conversion) throws MacroCommandException {
		try {
			return conversion.get();
		} catch (IllegalArgumentException e) {
			throw fail(e.getMessage());
		} catch (RuntimeException e) { // from a SciJava converter
			throw fail("'" + key + "' could not be converted: " + describe(e));
		}
	}

	private ImagePlus image(String key, String title, boolean currentByDefault) throws MacroCommandException {
		if (title == null) return currentByDefault ? WindowManager.getCurrentImage() : null;
		ImagePlus imp = WindowManager.getImage(title);
		if (imp == null && title.matches("-\\d+")) imp = WindowManager.getImage(Integer.parseInt(title));
		if (imp == null) throw fail("'" + key + "': there is no open image titled '" + title + "'");
		return imp;
	}

	private String missing(String key, ModuleItem<?> item) {
		if (ImagePlus.class.isAssignableFrom(item.getType())) {
			return "'" + key + "' needs an image, but none is open: open one first or give " + key + "=[title]";
		}
		return "the required option '" + key + "' is missing: add " + key + "=... to the run() options";
	}

	private void execute(ModuleService moduleService, EventService eventService, Module module,
			Map<String, Object> inputs) throws MacroCommandException {
		// We report failures ourselves: keep SciJava's LogService from printing the stack trace.
		EventSubscriber<ModuleErroredEvent> quiet = new EventSubscriber<ModuleErroredEvent>() {

			@Override
			public void onEvent(ModuleErroredEvent event) {
				if (event.getModule() == module) event.consume();
			}

			@Override
			public Class<ModuleErroredEvent> getEventClass() {
				return ModuleErroredEvent.class;
			}
		};
		if (eventService != null) eventService.subscribe(quiet);
		try {
			moduleService.run(module, true, inputs).get();
		} catch (ExecutionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			// ModuleRunner wraps what the command threw
			if (cause.getClass() == RuntimeException.class && cause.getCause() != null
					&& String.valueOf(cause.getMessage()).startsWith("Module threw ")) {
				cause = cause.getCause();
			}
			if (Macro.MACRO_CANCELED.equals(cause.getMessage())) throw MacroCommandException.alreadyReported();
			throw new MacroCommandException(registration.label + " failed: " + describe(cause));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new MacroCommandException(registration.label + " was interrupted");
		} catch (RuntimeException e) {
			throw new MacroCommandException(registration.label + " failed: " + describe(e));
		} finally {
			if (eventService != null) eventService.unsubscribe(List.of(quiet));
		}
		if (module instanceof Cancelable && ((Cancelable) module).isCanceled()) {
			String reason = ((Cancelable) module).getCancelReason();
			throw new MacroCommandException(registration.label + " was canceled" + (isBlank(reason) ? "" : ": " + oneParagraph(reason)));
		}
	}

	private static void showOutputs(Module module, Map<String, Object> inputs) {
		for (ModuleItem<?> item : module.getInfo().outputs()) {
			Object value = item.getValue(module);
			if (value instanceof ImagePlus && !inputs.containsValue(value)) {
				((ImagePlus) value).show();
			} else if (value instanceof ResultsTable) {
				ResultsTable table = (ResultsTable) value;
				table.show(isBlank(table.getTitle()) ? "Results" : table.getTitle());
			}
		}
	}

	/**
	 * The options that reproduce a finished run, as ImageJ-legacy's recorder writes them in Fiji: every input the
	 * user sees, images by title, checkboxes as {@code key=true} / {@code key=false}. (ImageJ-legacy reads neither a
	 * bare keyword nor an absent checkbox as a value, so only the explicit form means the same in Fiji and here.)
	 */
	static Map<String, Object> recordedOptions(Module module) {
		Map<String, Object> options = new LinkedHashMap<>();
		for (ModuleItem<?> item : module.getInfo().inputs()) {
			Class<?> type = item.getType();
			if (isInjected(type) || Button.class.isAssignableFrom(type)) continue;
			ItemVisibility visibility = item.getVisibility();
			if (visibility == ItemVisibility.MESSAGE || visibility == ItemVisibility.INVISIBLE) continue;
			String style = item.getWidgetStyle();
			if (style != null && List.of(style.split(",")).contains(TextWidget.PASSWORD_STYLE)) continue;
			Object value = item.getValue(module);
			if (value instanceof ImagePlus) value = ((ImagePlus) value).getTitle();
			if (value instanceof Boolean) value = value.toString();
			options.put(MacroOptions.key(item.getName()), value);
		}
		return options;
	}

	/** Passes a run to ImageJ 1's recorder, which only exists with a display. */
	static void record(String label, Map<String, Object> options) {
		if (!Recorder.record || GraphicsEnvironment.isHeadless()) return;
		boolean ownCommand = Recorder.getCommand() == null;
		if (ownCommand) Recorder.setCommand(label);
		for (Map.Entry<String, Object> e : options.entrySet()) {
			Object value = e.getValue();
			if (value != null) Recorder.recordOption(e.getKey(), MacroOptions.text(value));
		}
		if (ownCommand) Recorder.saveCommand();
	}

	private MacroCommandException fail(String detail) {
		return new MacroCommandException(registration.label + ": " + detail);
	}

	static boolean isInjected(Class<?> type) {
		return Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type);
	}

	/**
	 * An exception as one line: its message (or type), and the root cause's if that says something else. A
	 * {@link ClipException} is written for the user already: its message alone.
	 */
	static String describe(Throwable t) {
		for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
			if (c instanceof ClipException) return oneParagraph(c.getMessage());
		}
		String text = message(t);
		Throwable root = t;
		while (root.getCause() != null && root.getCause() != root) root = root.getCause();
		if (root != t) {
			String rootText = message(root);
			if (!text.contains(rootText)) text += " (cause: " + rootText + ")";
		}
		return text;
	}

	private static String message(Throwable t) {
		String m = t.getMessage();
		if (isBlank(m)) return t.getClass().getSimpleName();
		m = oneParagraph(m);
		Class<?> c = t.getClass();
		boolean plain = c == RuntimeException.class || c == Exception.class || c == IllegalArgumentException.class
				|| c == IllegalStateException.class || c == UnsupportedOperationException.class;
		return plain ? m : c.getSimpleName() + ": " + m;
	}

	private static String oneParagraph(String s) {
		return s.trim().replaceAll("\\s*\\R\\s*", " ");
	}

	private static boolean isBlank(String s) {
		return s == null || s.trim().isEmpty();
	}
}
