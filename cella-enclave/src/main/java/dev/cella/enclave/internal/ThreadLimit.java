package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.util.concurrent.Semaphore;

/**
 * The manifest's {@code limits.threads}: how many host calls may be inside the enclave's
 * application at once. What counts as a thread is a call from the host that runs application
 * code — a {@code run}, a service call, a service bind — for as long as it is inside, whatever
 * thread serves it; a call the host makes back into the enclave while serving one of the
 * enclave's host calls (host → enclave → host → enclave) is the same thread and counts once;
 * initialization and finish, which the lifecycle serializes, and channel deliveries, which only
 * queue bytes for the application, do not count. One call
 * more is refused at once with {@code RESOURCE_EXHAUSTED}, before any application code runs; it
 * never waits.
 *
 * <p>Common to every backend, as the trusted runtime is: on {@code process} it bounds the enclave
 * JVM's serving threads, on {@code sim} the host threads inside the application.
 *
 * <pre>{@code
 * ThreadLimit limit = new ThreadLimit(init.limits().threads());
 * byte[] answer = limit.enter(() -> application.run(input));
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class ThreadLimit {
  private static final ScopedValue<ThreadLimit> INSIDE = ScopedValue.newInstance();

  private final int threads;
  private final Semaphore permits;

  ThreadLimit(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.permits = new Semaphore(threads);
  }

  /**
   * Runs {@code call} as one of the threads inside, or inside the call it is nested in.
   *
   * <p>{@code call} is the scoped value's own operation, not wrapped in another: a typed call's
   * serving code runs below this frame, and every level here counts against the JIT's inlining
   * depth (see docs/architecture.md).
   *
   * @throws EnclaveException {@code RESOURCE_EXHAUSTED} when {@code threads} calls are inside
   */
  <T> T enter(ScopedValue.CallableOp<T, RuntimeException> call) {
    if (INSIDE.isBound() && INSIDE.get() == this) {
      return call.call();
    }
    if (!permits.tryAcquire()) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "the enclave already serves " + threads
          + " host calls at once, the most its manifest allows (limits.threads)");
    }
    try {
      return ScopedValue.where(INSIDE, this).call(call);
    } finally {
      permits.release();
    }
  }
}
