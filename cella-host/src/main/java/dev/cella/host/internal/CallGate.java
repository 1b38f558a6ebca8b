package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts the calls in flight into one enclave and lets finalization wait for them to drain
 * without holding a lock while enclave code runs: one compare-and-set to enter, one decrement to
 * leave.
 *
 * <p>Thread-safe.
 */
final class CallGate {
  private static final long CLOSED = 1L << 62;

  private final AtomicLong state = new AtomicLong();
  private volatile Thread waiter;

  /** Admits a call, or throws {@code FAILED_PRECONDITION} with {@code whyClosed} once closed. */
  void enter(String whyClosed) {
    for (;;) {
      long now = state.get();
      if ((now & CLOSED) != 0) {
        throw new EnclaveException(Code.FAILED_PRECONDITION, whyClosed);
      }
      if (state.compareAndSet(now, now + 1)) {
        return;
      }
    }
  }

  /** Ends a call admitted by {@link #enter}. */
  void exit() {
    long now = state.decrementAndGet();
    if (now == CLOSED) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  /**
   * Admits no new call; returns true once no call is in flight, false if {@code timeout} passed
   * first. Idempotent.
   */
  boolean closeAndAwait(Duration timeout) {
    waiter = Thread.currentThread();
    try {
      state.getAndUpdate(s -> s | CLOSED);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (state.get() != CLOSED) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, Math.min(left, 10_000_000L));
      }
      return true;
    } finally {
      waiter = null;
    }
  }

  /** Whether {@link #closeAndAwait} was called. */
  boolean isClosed() {
    return (state.get() & CLOSED) != 0;
  }
}
