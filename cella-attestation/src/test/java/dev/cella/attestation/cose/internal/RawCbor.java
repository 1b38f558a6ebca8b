package dev.cella.attestation.cose.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-assembled CBOR for tests that need encodings a CBOR library will not produce. */
final class RawCbor {
  private RawCbor() {}

  static byte[] head(int major, long value) {
    if (value < 24) {
      return new byte[] {(byte) (major << 5 | value)};
    }
    if (value < 0x100) {
      return new byte[] {(byte) (major << 5 | 24), (byte) value};
    }
    if (value < 0x1_0000) {
      return new byte[] {(byte) (major << 5 | 25), (byte) (value >> 8), (byte) value};
    }
    return new byte[] {(byte) (major << 5 | 26), (byte) (value >> 24), (byte) (value >> 16),
        (byte) (value >> 8), (byte) value};
  }

  static byte[] uint(long value) {
    return head(0, value);
  }

  static byte[] nint(long value) {
    return head(1, -1 - value);
  }

  static byte[] bstr(byte[] content) {
    return cat(head(2, content.length), content);
  }

  static byte[] tstr(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return cat(head(3, utf8.length), utf8);
  }

  static byte[] array(byte[]... items) {
    return cat(head(4, items.length), cat(items));
  }

  static byte[] bool(boolean value) {
    return new byte[] {(byte) (value ? 0xF5 : 0xF4)};
  }

  /** A map with entries in the order given (keys and values already encoded). */
  static byte[] map(List<byte[][]> entries) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(head(5, entries.size()));
    for (byte[][] entry : entries) {
      parts.add(entry[0]);
      parts.add(entry[1]);
    }
    return cat(parts.toArray(byte[][]::new));
  }

  /** A map of text keys in deterministic (bytewise) key order. */
  static byte[] sortedTextMap(Map<String, byte[]> entries) {
    List<byte[][]> list = new ArrayList<>();
    entries.forEach((k, v) -> list.add(new byte[][] {tstr(k), v}));
    list.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    return map(list);
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static LinkedHashMap<String, byte[]> copy(Map<String, byte[]> map) {
    return new LinkedHashMap<>(map);
  }
}
