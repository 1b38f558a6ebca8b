package dev.cella.enclave.internal.runner;

/**
 * Time stamps of the runner's start on standard error, for finding where a cold start goes: with
 * {@code -Dcella.startTrace=true} (the process backend passes it when the host runs with {@code
 * -Dcella.process.startTrace=true}), each step prints {@code cella-start-trace STEP MICROS}, the
 * time in microseconds of {@link System#nanoTime()}, which on Linux is the system-wide monotonic
 * clock, so the host's stamps and the enclave's compare directly. Off by default; it prints no
 * data, only step names.
 *
 * <p>Thread-safe; stateless.
 */
final class StartTrace {
  private static final boolean ON = Boolean.getBoolean("cella.startTrace");

  private StartTrace() {}

  /** Prints the stamp of {@code step} when tracing is on. */
  static void mark(String step) {
    if (ON) {
      System.err.println("cella-start-trace " + step + " " + System.nanoTime() / 1000);
    }
  }
}
