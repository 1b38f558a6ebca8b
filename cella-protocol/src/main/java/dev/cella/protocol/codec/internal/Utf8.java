package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629) for the codec: Java strings with unpaired surrogates are refused on
 * encode instead of being replaced, and malformed, overlong or surrogate encodings are refused on
 * decode, so that every string round-trips exactly.
 */
final class Utf8 {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  private Utf8() {}

  /**
   * How many bytes of {@code buf[from, from + length)} are ASCII before the first that is not
   * ({@code length} when all are), scanning eight at a time.
   */
  static int asciiPrefix(byte[] buf, int from, int length) {
    int i = from;
    int end = from + length;
    while (end - i >= Long.BYTES && ((long) LONG.get(buf, i) & HIGH_BITS) == 0) {
      i += Long.BYTES;
    }
    while (i < end && buf[i] >= 0) {
      i++;
    }
    return i - from;
  }

  /** The UTF-8 length of {@code s}; refuses an unpaired surrogate. */
  static int encodedLength(String s) {
    int n = s.length();
    int length = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        continue;
      }
      if (c < 0x800) {
        length += 1;
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 == n
            || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new CodecException(
              "a string has an unpaired surrogate at index " + i + " and cannot be encoded");
        }
        length += 2; // two chars, four bytes
        i++;
      } else {
        length += 2;
      }
    }
    return length;
  }

  /** Writes {@code s}, already checked by {@link #encodedLength}, into {@code buf} at {@code pos}. */
  static int encode(String s, byte[] buf, int pos) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[pos++] = (byte) c;
      } else if (c < 0x800) {
        buf[pos++] = (byte) (0xC0 | (c >> 6));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[pos++] = (byte) (0xF0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        buf[pos++] = (byte) (0xE0 | (c >> 12));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }

  /**
   * The offset of the first byte that makes {@code buf[from, to)} malformed UTF-8, or -1 if it is
   * well formed.
   */
  static int firstMalformed(byte[] buf, int from, int to) {
    int i = from;
    while (i < to) {
      int b0 = buf[i];
      if (b0 >= 0) {
        i++;
        continue;
      }
      b0 &= 0xFF;
      int need;
      int lo = 0x80;
      int hi = 0xBF;
      if (b0 < 0xC2) {
        return i; // a continuation byte, or an overlong two-byte lead
      } else if (b0 < 0xE0) {
        need = 1;
      } else if (b0 < 0xF0) {
        need = 2;
        if (b0 == 0xE0) {
          lo = 0xA0; // overlong
        } else if (b0 == 0xED) {
          hi = 0x9F; // surrogates U+D800..U+DFFF
        }
      } else if (b0 < 0xF5) {
        need = 3;
        if (b0 == 0xF0) {
          lo = 0x90; // overlong
        } else if (b0 == 0xF4) {
          hi = 0x8F; // above U+10FFFF
        }
      } else {
        return i;
      }
      if (to - i <= need) {
        return i;
      }
      int b1 = buf[i + 1] & 0xFF;
      if (b1 < lo || b1 > hi) {
        return i;
      }
      for (int k = 2; k <= need; k++) {
        int b = buf[i + k] & 0xFF;
        if (b < 0x80 || b > 0xBF) {
          return i;
        }
      }
      i += need + 1;
    }
    return -1;
  }
}
