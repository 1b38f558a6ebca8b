package dev.cella.attestation.nitro.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict reader of the CBOR subset Nitro documents use (RFC 8949: unsigned and negative
 * integers, byte and text strings, arrays, maps, tags, null), definite lengths only. Every
 * failure names its offset. Not thread-safe.
 */
final class CborReader {
  static final int UINT = 0;
  static final int NINT = 1;
  static final int BYTES = 2;
  static final int TEXT = 3;
  static final int ARRAY = 4;
  static final int MAP = 5;
  static final int TAG = 6;
  static final int SIMPLE = 7;
  /** The count of an indefinite-length array or map. */
  static final int INDEFINITE = -1;
  private static final int MAX_NESTING = 16;

  private final String what;
  private final byte[] data;
  private final int end;
  private int pos;

  CborReader(String what, byte[] data, int start, int end) {
    this.what = what;
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  byte[] data() {
    return data;
  }

  int position() {
    return pos;
  }

  boolean atEnd() {
    return pos >= end;
  }

  /** The major type of the next item, without consuming it. */
  int peekMajor() throws AttestationException {
    need(1, "an item");
    return (data[pos] & 0xFF) >>> 5;
  }

  /** Whether the next item is {@code null} (consumed if it is). */
  boolean readNullIf() throws AttestationException {
    need(1, "an item");
    if ((data[pos] & 0xFF) == 0xF6) {
      pos++;
      return true;
    }
    return false;
  }

  long readUint() throws AttestationException {
    return header(UINT, "an unsigned integer");
  }

  /** An integer of either sign that fits in a long. */
  long readInt() throws AttestationException {
    int major = peekMajor();
    if (major == NINT) {
      long v = header(NINT, "an integer");
      return -1 - v;
    }
    return header(UINT, "an integer");
  }

  /** An array's element count, or {@link #INDEFINITE}; loop with {@link #more}. */
  int arrayHeader() throws AttestationException {
    return count(header(ARRAY, "an array"));
  }

  /** A map's entry count, or {@link #INDEFINITE}; loop with {@link #more}. */
  int mapHeader() throws AttestationException {
    return count(header(MAP, "a map"));
  }

  /**
   * Whether a container of {@code n} entries (or {@link #INDEFINITE}) has an entry {@code i};
   * consumes the break that ends an indefinite container.
   */
  boolean more(int n, int i) throws AttestationException {
    if (n != INDEFINITE) {
      return i < n;
    }
    need(1, "an item or break");
    if ((data[pos] & 0xFF) == 0xFF) {
      pos++;
      return false;
    }
    return true;
  }

  long tag() throws AttestationException {
    return header(TAG, "a tag");
  }

  /** A byte string's position and length; the reader moves past it. */
  Span bytes() throws AttestationException {
    int at = pos;
    long len = header(BYTES, "a byte string");
    need(len, "the byte string started at offset " + at);
    Span span = new Span(pos, (int) len);
    pos += (int) len;
    return span;
  }

  String text() throws AttestationException {
    int at = pos;
    long len = header(TEXT, "a text string");
    need(len, "the text string started at offset " + at);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, pos, (int) len)).toString();
      pos += (int) len;
      return s;
    } catch (CharacterCodingException e) {
      throw malformed(at, "text string is not valid UTF-8");
    }
  }

  /** Skips one complete item of any type. */
  void skip() throws AttestationException {
    skip(0);
  }

  private void skip(int depth) throws AttestationException {
    if (depth > MAX_NESTING) {
      throw malformed(pos, "nested deeper than " + MAX_NESTING);
    }
    int at = pos;
    int major = peekMajor();
    switch (major) {
      case UINT, NINT -> header(major, "an integer");
      case BYTES -> bytes();
      case TEXT -> text();
      case ARRAY -> {
        int n = arrayHeader();
        for (int i = 0; more(n, i); i++) {
          skip(depth + 1);
        }
      }
      case MAP -> {
        int n = mapHeader();
        for (int i = 0; more(n, i); i++) {
          skip(depth + 1);
          skip(depth + 1);
        }
      }
      case TAG -> {
        tag();
        skip(depth + 1);
      }
      default -> {
        int b = data[pos] & 0xFF;
        if (b == 0xF4 || b == 0xF5 || b == 0xF6 || b == 0xF7) {
          pos++;
        } else {
          throw malformed(at, "unsupported simple value or float 0x" + Integer.toHexString(b));
        }
      }
    }
  }

  private long header(int expectedMajor, String expected) throws AttestationException {
    need(1, expected);
    int at = pos;
    int initial = data[pos] & 0xFF;
    int major = initial >>> 5;
    int info = initial & 0x1F;
    if (major != expectedMajor) {
      throw malformed(at, "expected " + expected + ", found major type " + major);
    }
    pos++;
    if (info < 24) {
      return info;
    }
    if (info == 31) {
      if (major == ARRAY || major == MAP) {
        return INDEFINITE;
      }
      throw malformed(at, "indefinite-length strings are not supported");
    }
    int size = switch (info) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      default -> throw malformed(at, "reserved additional information " + info);
    };
    need(size, expected);
    long v = 0;
    for (int i = 0; i < size; i++) {
      v = v << 8 | (data[pos++] & 0xFF);
    }
    if (v < 0) {
      throw malformed(at, "value does not fit in 63 bits");
    }
    return v;
  }

  private int count(long n) throws AttestationException {
    if (n == INDEFINITE) {
      return INDEFINITE;
    }
    if (n > end - pos) {
      throw malformed(pos, "claims " + n + " elements, more than the bytes left");
    }
    return (int) n;
  }

  private void need(long n, String what) throws AttestationException {
    if (n > end - pos) {
      throw malformed(pos, "truncated: " + what + " needs " + n + " bytes, " + (end - pos)
          + " left");
    }
  }

  AttestationException malformed(int offset, String message) {
    return new AttestationException(Reason.MALFORMED,
        what + ": malformed at offset " + offset + ": " + message);
  }

  /** A range of the input. */
  record Span(int offset, int length) {
    byte[] copy(byte[] data) {
      byte[] out = new byte[length];
      System.arraycopy(data, offset, out, 0, length);
      return out;
    }
  }
}
