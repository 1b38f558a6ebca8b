package dev.cella.protocol.transport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Small helpers the transport tests share: frames from text and back, and a plain sleep. */
final class TestBytes {
  private TestBytes() {}

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** A copy of {@code b} back to front: an answer that differs from its request. */
  static byte[] reversed(byte[] b) {
    byte[] r = Arrays.copyOf(b, b.length);
    for (int i = 0, j = r.length - 1; i < j; i++, j--) {
      byte t = r[i];
      r[i] = r[j];
      r[j] = t;
    }
    return r;
  }

  /** Sleeps; an interrupt fails the test. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
