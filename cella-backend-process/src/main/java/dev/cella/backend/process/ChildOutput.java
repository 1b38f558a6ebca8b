package dev.cella.backend.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads what the enclave process writes to standard error: logs each line (cut at 500 bytes) and
 * keeps the last few, so that a failed start can say why. The enclave is untrusted, so nothing it
 * writes can make the host allocate without bound.
 *
 * <p>Thread-safe.
 */
final class ChildOutput {
  private static final int MAX_LINE = 500;
  private static final int KEPT_LINES = 8;
  private static final System.Logger LOG = System.getLogger(ChildOutput.class.getName());

  private final String enclaveName;
  private final Deque<String> last = new ArrayDeque<>();
  private final Thread reader;

  private ChildOutput(String enclaveName, InputStream stream) {
    this.enclaveName = enclaveName;
    this.reader = Thread.ofVirtual().name("cella-stderr " + enclaveName).unstarted(() -> pump(stream));
  }

  static ChildOutput start(String enclaveName, InputStream stream) {
    ChildOutput output = new ChildOutput(enclaveName, stream);
    output.reader.start();
    return output;
  }

  private void pump(InputStream stream) {
    byte[] line = new byte[MAX_LINE];
    int length = 0;
    try (stream) {
      int b;
      while ((b = stream.read()) >= 0) {
        if (b == '\n') {
          add(new String(line, 0, length, StandardCharsets.UTF_8));
          length = 0;
        } else if (length < MAX_LINE) {
          line[length++] = (byte) b;
        }
      }
      if (length > 0) {
        add(new String(line, 0, length, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process is gone.
    }
  }

  private void add(String line) {
    LOG.log(System.Logger.Level.INFO, "enclave ''{0}'': {1}", enclaveName, line);
    synchronized (last) {
      if (last.size() == KEPT_LINES) {
        last.removeFirst();
      }
      last.addLast(line);
    }
  }

  /** Waits up to {@code millis} for the stream to end (the process exited). */
  void awaitEnd(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines, joined with " / ", or "" when there were none. */
  String lastLines() {
    synchronized (last) {
      return String.join(" / ", last);
    }
  }
}
