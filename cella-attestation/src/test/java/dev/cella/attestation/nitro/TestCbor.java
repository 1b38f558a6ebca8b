package dev.cella.attestation.nitro;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A minimal CBOR encoder for building test documents byte by byte (keys in the order given). */
final class TestCbor {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  TestCbor head(int major, long value) {
    int m = major << 5;
    if (value < 24) {
      out.write(m | (int) value);
    } else if (value < 0x100) {
      out.write(m | 24);
      out.write((int) value);
    } else if (value < 0x10000) {
      out.write(m | 25);
      out.write((int) (value >>> 8));
      out.write((int) value);
    } else if (value < 0x100000000L) {
      out.write(m | 26);
      for (int i = 3; i >= 0; i--) {
        out.write((int) (value >>> (8 * i)));
      }
    } else {
      out.write(m | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (value >>> (8 * i)));
      }
    }
    return this;
  }

  TestCbor uint(long v) {
    return head(0, v);
  }

  TestCbor nint(long v) {
    return head(1, -1 - v);
  }

  TestCbor bytes(byte[] b) {
    head(2, b.length);
    out.writeBytes(b);
    return this;
  }

  TestCbor text(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    head(3, b.length);
    out.writeBytes(b);
    return this;
  }

  TestCbor array(int n) {
    return head(4, n);
  }

  TestCbor map(int n) {
    return head(5, n);
  }

  TestCbor nul() {
    out.write(0xF6);
    return this;
  }

  TestCbor raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  byte[] encode() {
    return out.toByteArray();
  }
}
