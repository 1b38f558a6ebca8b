package dev.cella.attestation.cose.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks that a byte range is exactly one CBOR data item in the deterministic encoding that
 * cella-cose requires (RFC 8949 §4.2.1), before the CBOR library decodes it: definite lengths
 * only, shortest-form heads, valid UTF-8 text, map keys unique and in bytewise order of their
 * encodings, only the simple values {@code false} and {@code true}, no floats, no tags, a bounded
 * depth, and no bytes after the item. Every refusal is {@link Reason#MALFORMED} and names the
 * section and the absolute byte offset.
 *
 * <p>Thread-safe (stateless).
 */
public final class CborScanner {
  /** Deepest nesting of arrays and maps that cella-cose uses, with room to spare. */
  static final int MAX_DEPTH = 8;

  private final byte[] buf;
  private final int end;
  private final String section;

  private CborScanner(byte[] buf, int end, String section) {
    this.buf = buf;
    this.end = end;
    this.section = section;
  }

  /**
   * Checks that {@code buf[start, end)} is exactly one deterministic CBOR item.
   *
   * @param section what the range is, for messages (e.g. "payload")
   */
  public static void checkItem(byte[] buf, int start, int end, String section)
      throws AttestationException {
    CborScanner scanner = new CborScanner(buf, end, section);
    if (start >= end) {
      throw scanner.malformed(start, "truncated: no data item");
    }
    int next = scanner.item(start, 0);
    if (next != end) {
      throw scanner.malformed(next, (end - next) + " trailing byte(s) after the data item");
    }
  }

  /** The head at {@code offset}: major type, argument and where its content starts. */
  record Head(int major, long argument, int contentOffset) {}

  /** Reads a definite, shortest-form head at {@code offset}; {@code end} bounds the input. */
  static Head head(byte[] buf, int offset, int end, String section) throws AttestationException {
    return new CborScanner(buf, end, section).head(offset);
  }

  private Head head(int offset) throws AttestationException {
    if (offset >= end) {
      throw malformed(offset, "truncated: expected a data item");
    }
    int initial = buf[offset] & 0xFF;
    int major = initial >>> 5;
    int info = initial & 0x1F;
    if (info < 24) {
      return new Head(major, info, offset + 1);
    }
    if (info == 31) {
      throw malformed(offset, major == 7 ? "unexpected break byte" : "indefinite length not allowed");
    }
    if (info > 27) {
      throw malformed(offset, "reserved additional information " + info);
    }
    int size = 1 << (info - 24);
    if (end - offset - 1 < size) {
      throw malformed(offset, "truncated: head needs " + size + " more byte(s)");
    }
    long argument = 0;
    for (int i = 1; i <= size; i++) {
      argument = (argument << 8) | (buf[offset + i] & 0xFF);
    }
    long smallest = switch (info) {
      case 24 -> 24;
      case 25 -> 0x100;
      case 26 -> 0x1_0000;
      default -> 0x1_0000_0000L;
    };
    if (Long.compareUnsigned(argument, smallest) < 0 && major != 7) {
      throw malformed(offset, "head not in shortest form (value " + Long.toUnsignedString(argument) + ")");
    }
    return new Head(major, argument, offset + 1 + size);
  }

  private int item(int offset, int depth) throws AttestationException {
    Head head = head(offset);
    int content = head.contentOffset();
    long argument = head.argument();
    return switch (head.major()) {
      case 0, 1 -> content;
      case 2 -> checkLength(offset, content, argument);
      case 3 -> checkUtf8(offset, content, checkLength(offset, content, argument));
      case 4 -> {
        enter(offset, depth);
        int next = content;
        for (long i = 0; i < count(offset, content, argument, 1); i++) {
          next = item(next, depth + 1);
        }
        yield next;
      }
      case 5 -> {
        enter(offset, depth);
        int next = content;
        int previousKey = -1;
        int previousKeyEnd = -1;
        for (long i = 0; i < count(offset, content, argument, 2); i++) {
          int keyEnd = item(next, depth + 1);
          if (previousKey >= 0) {
            int order = Arrays.compareUnsigned(buf, previousKey, previousKeyEnd, buf, next, keyEnd);
            if (order == 0) {
              throw malformed(next, "duplicate map key");
            }
            if (order > 0) {
              throw malformed(next, "map keys not in deterministic (bytewise) order");
            }
          }
          previousKey = next;
          previousKeyEnd = keyEnd;
          next = item(keyEnd, depth + 1);
        }
        yield next;
      }
      case 6 -> throw malformed(offset, "tag " + Long.toUnsignedString(argument) + " not allowed here");
      default -> {
        int info = buf[offset] & 0x1F;
        if (info == 20 || info == 21) {
          yield content;
        }
        throw malformed(offset, info >= 25 && info <= 27
            ? "floating-point value not allowed"
            : "simple value " + argument + " not allowed (only false and true)");
      }
    };
  }

  private void enter(int offset, int depth) throws AttestationException {
    if (depth >= MAX_DEPTH) {
      throw malformed(offset, "nested deeper than " + MAX_DEPTH);
    }
  }

  private long count(int offset, int content, long argument, int bytesPerEntry)
      throws AttestationException {
    // Every item takes at least one byte: a count beyond the remaining bytes is truncated input.
    if (argument < 0 || argument > (long) (end - content) / bytesPerEntry) {
      throw malformed(offset, "truncated: " + Long.toUnsignedString(argument)
          + (bytesPerEntry == 1 ? " array element(s)" : " map entries") + " declared, "
          + (end - content) + " byte(s) remain");
    }
    return argument;
  }

  private int checkLength(int offset, int content, long length) throws AttestationException {
    if (length < 0 || length > end - content) {
      throw malformed(offset, "truncated: string of " + Long.toUnsignedString(length)
          + " byte(s) declared, " + (end - content) + " remain");
    }
    return content + (int) length;
  }

  private int checkUtf8(int offset, int content, int next) throws AttestationException {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, content, next - content));
    } catch (CharacterCodingException e) {
      throw malformed(offset, "text string is not valid UTF-8");
    }
    return next;
  }

  private AttestationException malformed(int offset, String what) {
    return new AttestationException(Reason.MALFORMED,
        "cella-cose " + section + ": " + what + " at offset " + offset);
  }
}
