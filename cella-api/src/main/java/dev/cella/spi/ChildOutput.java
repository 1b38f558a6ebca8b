package dev.cella.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * For backends that run the enclave in a child process (a sandboxed JVM, a VM): reads what the
 * child prints, logs each line (cut at 500 bytes, control characters dropped, blank lines
 * skipped) and keeps the last few — and the first line containing a marker, such as a kernel
 * panic — so that a failed start can say why. The child is untrusted: nothing it writes can make
 * the host allocate without bound.
 *
 * <p>Example: {@code ChildOutput out = ChildOutput.start("signer", "process",
 * process.getErrorStream(), Optional.empty()); ... out.awaitEnd(500); out.lastLines()}.
 *
 * <p>Thread-safe.
 */
public final class ChildOutput {
  private static final int MAX_LINE = 500;
  private static final int KEPT_LINES = 8;
  private static final System.Logger LOG = System.getLogger(ChildOutput.class.getName());

  private final String enclaveName;
  private final String source;
  private final Optional<String> marker;
  private final Deque<String> last = new ArrayDeque<>();
  private String markedOrNull;
  private final Thread reader;

  private ChildOutput(String enclaveName, String source, InputStream stream,
      Optional<String> marker) {
    this.enclaveName = Objects.requireNonNull(enclaveName, "enclaveName");
    this.source = Objects.requireNonNull(source, "source");
    this.marker = Objects.requireNonNull(marker, "marker");
    this.reader = Thread.ofVirtual().name("cella-" + source + "-output " + enclaveName)
        .unstarted(() -> pump(stream));
  }

  /**
   * Starts reading {@code stream} on a virtual thread until it ends.
   *
   * @param source names the child in the log, e.g. {@code "process"} or {@code "vm"}
   * @param marker a text whose first line is kept apart from the last lines, if any
   */
  public static ChildOutput start(String enclaveName, String source, InputStream stream,
      Optional<String> marker) {
    ChildOutput output = new ChildOutput(enclaveName, source, stream, marker);
    output.reader.start();
    return output;
  }

  private void pump(InputStream stream) {
    byte[] line = new byte[MAX_LINE];
    int length = 0;
    byte[] buffer = new byte[4096];
    try (stream) {
      int read;
      while ((read = stream.read(buffer)) > 0) {
        for (int i = 0; i < read; i++) {
          int b = buffer[i] & 0xFF;
          if (b == '\n') {
            add(new String(line, 0, length, StandardCharsets.UTF_8));
            length = 0;
          } else if (b >= 0x20 && b != 0x7F && length < MAX_LINE) {
            line[length++] = (byte) b;
          }
        }
      }
      if (length > 0) {
        add(new String(line, 0, length, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The child is gone.
    }
  }

  private void add(String line) {
    String text = line.strip();
    if (text.isEmpty()) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "enclave ''{0}'' ({1}): {2}", enclaveName, source, text);
    synchronized (last) {
      if (markedOrNull == null && marker.isPresent() && text.contains(marker.get())) {
        markedOrNull = text;
      }
      if (last.size() == KEPT_LINES) {
        last.removeFirst();
      }
      last.addLast(text);
    }
  }

  /** Waits up to {@code millis} for the stream to end (the child exited). */
  public void awaitEnd(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits up to {@code millis} for {@code child} — the process whose output this is — to exit:
   * how a connection whose channel failed tells a child that died (then its exit status and
   * {@link #lastLines} say why) from a channel that broke under a live one.
   *
   * @return whether it has exited
   */
  public static boolean awaitExit(Process child, long millis) {
    try {
      return child.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The marked line, if any and no longer among them, then the last lines, joined with " / ". */
  public String lastLines() {
    synchronized (last) {
      String lines = String.join(" / ", last);
      return markedOrNull == null || last.contains(markedOrNull) ? lines
          : markedOrNull + " / … / " + lines;
    }
  }
}
