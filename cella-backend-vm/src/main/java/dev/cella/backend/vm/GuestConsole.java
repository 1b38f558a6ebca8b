package dev.cella.backend.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads what QEMU and the guest's console (its first serial port) print: logs each line (cut at
 * 500 bytes, control characters dropped) and keeps the last few and a kernel panic's line, so
 * that a failed boot can say why. The guest is untrusted, so nothing it writes can make the host allocate without bound.
 *
 * <p>Thread-safe.
 */
final class GuestConsole {
  private static final int MAX_LINE = 500;
  private static final int KEPT_LINES = 8;
  private static final System.Logger LOG = System.getLogger(GuestConsole.class.getName());

  private final String enclaveName;
  private final Deque<String> last = new ArrayDeque<>();
  private String panicOrNull;
  private final Thread reader;

  private GuestConsole(String enclaveName, InputStream stream) {
    this.enclaveName = enclaveName;
    this.reader = Thread.ofVirtual().name("cella-vm-console " + enclaveName)
        .unstarted(() -> pump(stream));
  }

  static GuestConsole start(String enclaveName, InputStream stream) {
    GuestConsole console = new GuestConsole(enclaveName, stream);
    console.reader.start();
    return console;
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
      // QEMU is gone.
    }
  }

  private void add(String line) {
    String text = line.strip();
    if (text.isEmpty()) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "enclave ''{0}'' (vm): {1}", enclaveName, text);
    synchronized (last) {
      if (panicOrNull == null && text.contains("Kernel panic")) {
        panicOrNull = text;
      }
      if (last.size() == KEPT_LINES) {
        last.removeFirst();
      }
      last.addLast(text);
    }
  }

  /** Waits up to {@code millis} for the stream to end (QEMU exited). */
  void awaitEnd(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A kernel panic's line, if any, then the last lines, joined with " / "; "" when none. */
  String lastLines() {
    synchronized (last) {
      String lines = String.join(" / ", last);
      return panicOrNull == null || last.contains(panicOrNull) ? lines
          : panicOrNull + " / … / " + lines;
    }
  }
}
