package sc.fiji.clip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Results of work run on other threads, with what it threw rethrown in the caller's thread. */
public final class Tasks {

	private Tasks() {}

	/**
	 * The task's result. What it threw is rethrown as is when unchecked, else wrapped ({@link #cause}); an interrupt
	 * sets the thread's flag again and becomes a {@link ClipException} saying "{@code activity} was interrupted.".
	 */
	public static <T> T result(Future<T> task, String activity) {
		try {
			return task.get();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new ClipException(activity + " was interrupted.", e);
		} catch (ExecutionException e) {
			throw cause(e);
		}
	}

	/**
	 * The tasks' results in order. Waits for every task before rethrowing the first failure ({@link #cause}), so
	 * that no task still uses what the caller frees next; an interrupt only sets the thread's flag again once all
	 * are done.
	 */
	public static <T> List<T> all(List<Future<T>> tasks) {
		List<T> results = new ArrayList<>(tasks.size());
		RuntimeException failure = null;
		boolean interrupted = false;
		for (Future<T> f : tasks) {
			while (true) {
				try {
					results.add(f.get());
				} catch (InterruptedException e) {
					interrupted = true;
					continue;
				} catch (ExecutionException e) {
					if (failure == null) failure = cause(e);
				}
				break;
			}
		}
		if (interrupted) Thread.currentThread().interrupt();
		if (failure != null) throw failure;
		return results;
	}

	/** What a task threw, as an unchecked exception: the {@link RuntimeException} itself, anything else wrapped. */
	public static RuntimeException cause(ExecutionException e) {
		return e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
			: new IllegalStateException(e.getCause());
	}
}
