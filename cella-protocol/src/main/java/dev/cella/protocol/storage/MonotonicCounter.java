package dev.cella.protocol.storage;

import java.io.IOException;

/**
 * A counter that only goes up, kept by the platform for one sealed store. The sealed file system
 * binds each committed manifest to the counter's value, which is what lets it refuse an old
 * manifest (a rolled-back store). It is only as strong as whoever keeps it: a counter that the
 * host can reset or replace does not stop the host from rolling the whole store back (reset the
 * counter and restore an old directory together); it still catches a partial rollback and a
 * restored manifest alone. {@code docs/sealing.md} says what each backend's counter protects
 * against.
 *
 * <p>Example: {@code long value = counter.increment();  // the new value}
 *
 * <p>Implementations must be thread-safe, durable ({@link #increment} returns only once the new
 * value survives a crash), and never return a smaller value than an earlier call did.
 */
public interface MonotonicCounter {
  /** The current value; 0 for a counter that was never incremented. */
  long read() throws IOException;

  /** Adds one, durably, and returns the new value. */
  long increment() throws IOException;
}
