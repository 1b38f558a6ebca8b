package dev.cella.enclave.internal.program;

import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Learns the status of a {@code System.exit} / {@code Runtime.exit} inside the enclave before the
 * JVM halts, so that the host can tell the program's exit from a crash. Since JDK 21, {@code
 * Runtime.exit} logs to the {@code java.lang.Runtime} logger at {@code DEBUG} (JUL {@code FINE})
 * when that logger is enabled, on the exiting thread and before the shutdown hooks, with a
 * {@code Throwable} whose message is {@code Runtime.exit(STATUS)}. This handler enables the
 * logger, publishes nothing, and calls {@code onExit} with the status. A program that resets
 * {@code java.util.logging} removes it; its exit is then reported as the JVM's end without a
 * status (the host says so).
 *
 * <p>Thread-safe.
 */
final class ExitWatch extends Handler {
  private static final String PREFIX = "Runtime.exit(";
  private static final Logger RUNTIME = Logger.getLogger("java.lang.Runtime");

  private final IntConsumer onExit;
  private volatile boolean armed = true;

  private ExitWatch(IntConsumer onExit) {
    this.onExit = onExit;
  }

  /** Installs the watch; {@link #disarm} stops it reporting (the program ended). */
  static ExitWatch install(IntConsumer onExit) {
    ExitWatch watch = new ExitWatch(onExit);
    RUNTIME.setUseParentHandlers(false);
    RUNTIME.setLevel(Level.FINE);
    RUNTIME.addHandler(watch);
    return watch;
  }

  /** Stops reporting exits: the runtime's own exit after the program is not the program's. */
  void disarm() {
    armed = false;
  }

  @Override
  public void publish(LogRecord record) {
    Throwable thrown = record.getThrown();
    Integer status = thrown == null ? null : statusOrNull(thrown.getMessage());
    if (!armed || status == null) {
      return;
    }
    armed = false;
    onExit.accept(status);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  /** The status in a {@code Runtime.exit(STATUS)} message, or null. */
  static Integer statusOrNull(String message) {
    if (message == null || !message.startsWith(PREFIX) || !message.endsWith(")")) {
      return null;
    }
    try {
      return Integer.parseInt(message.substring(PREFIX.length(), message.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
