package dev.cella.cli.internal;

import java.io.Console;
import java.io.PrintWriter;

/**
 * One line of progress for long operations, redrawn in place on stderr — only when the command
 * runs in a terminal, so piped or redirected output never carries it. {@link #close()} clears the
 * line.
 *
 * <pre>{@code
 * try (Progress progress = Progress.forTerminal(err)) {
 *   progress.show("reading jars 3/12 (45.0 MiB)");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one command drives it.
 */
public final class Progress implements AutoCloseable {
  private final PrintWriter out;
  private final boolean enabled;
  private int shown;

  private Progress(PrintWriter out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** Progress on {@code err}, shown only if the JVM's console is a terminal (nothing when piped). */
  public static Progress forTerminal(PrintWriter err) {
    Console console = System.console();
    return new Progress(err, console != null && console.isTerminal());
  }

  /** Progress on {@code out}, shown if {@code enabled}; for tests. */
  public static Progress of(PrintWriter out, boolean enabled) {
    return new Progress(out, enabled);
  }

  /** Whether anything is shown. */
  public boolean enabled() {
    return enabled;
  }

  /** Replaces the line with {@code text}. */
  public void show(String text) {
    if (!enabled) {
      return;
    }
    String line = "cella: " + text;
    out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
    out.flush();
    shown = line.length();
  }

  /** {@code bytes} as MiB with one decimal, e.g. {@code 45.0 MiB}. */
  public static String mebibytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  /** Clears the line. Idempotent. */
  @Override
  public void close() {
    if (enabled && shown > 0) {
      out.print("\r" + " ".repeat(shown) + "\r");
      out.flush();
      shown = 0;
    }
  }
}
