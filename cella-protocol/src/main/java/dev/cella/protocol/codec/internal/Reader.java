package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import dev.cella.protocol.codec.CodecLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked cursor over one received message. Every length is checked against the bytes
 * that remain before anything is allocated; every failure is a {@link CodecException} naming the
 * offset. One per message; not thread-safe.
 */
public final class Reader {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] buf;
  private final int start;
  private final int end;
  private final int maxDepth;
  private int pos;

  public Reader(byte[] message, int offset, int length, CodecLimits limits) {
    if (offset < 0 || length < 0 || offset > message.length - length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " and length " + length + " outside " + message.length + " bytes");
    }
    if (length > limits.maxMessageBytes()) {
      throw new CodecException(
          "the message has " + length + " bytes, more than the limit of "
              + limits.maxMessageBytes());
    }
    this.buf = message;
    this.start = offset;
    this.pos = offset;
    this.end = offset + length;
    this.maxDepth = limits.maxNestingDepth();
  }

  /** A failure at the current offset. */
  public CodecException malformed(String what) {
    return new CodecException("malformed message: " + what + " at offset " + (pos - start));
  }

  public int remaining() {
    return end - pos;
  }

  /** Refuses bytes left after the last value. */
  public void finish() {
    if (pos != end) {
      throw malformed(remaining() + " trailing bytes");
    }
  }

  /** Enters one more level of nesting below {@code depth}; refuses to pass the limit. */
  public int enter(int depth) {
    if (depth >= maxDepth) {
      throw malformed("nesting deeper than the limit of " + maxDepth + " levels");
    }
    return depth + 1;
  }

  // The hot paths below are flat (no call to another reader method before a failure) and build
  // no message unless they fail: the code that reads a value is often inlined deep in a caller's
  // compilation, where every further level of calls may be one too many for the JIT.

  private void need(int n, String what) {
    if (end - pos < n) {
      throw malformed("truncated " + what);
    }
  }

  /** One unsigned byte. */
  public int get(String what) {
    if (pos >= end) {
      throw malformed("truncated " + what);
    }
    return buf[pos++] & 0xFF;
  }

  /** A byte that must be 0 or 1. */
  public boolean getFlag(String what) {
    if (pos >= end) {
      throw malformed("truncated " + what);
    }
    int b = buf[pos];
    if ((b & ~1) != 0) {
      throw malformed(what + " byte " + (b & 0xFF) + " (not 0 or 1)");
    }
    pos++;
    return b == 1;
  }

  public short getShort() {
    need(2, "16-bit value");
    short v = (short) SHORT.get(buf, pos);
    pos += 2;
    return v;
  }

  public int getInt() {
    need(4, "32-bit value");
    int v = (int) INT.get(buf, pos);
    pos += 4;
    return v;
  }

  public long getLong() {
    need(8, "64-bit value");
    long v = (long) LONG.get(buf, pos);
    pos += 8;
    return v;
  }

  /** A shortest-form unsigned LEB128 varint of at most {@link Integer#MAX_VALUE}. */
  public int getVarint(String what) {
    if (pos < end && buf[pos] >= 0) {
      return buf[pos++];
    }
    return varint(what, "");
  }

  /** The general case of a varint, named {@code what + suffix} in failures. */
  private int varint(String what, String suffix) {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos >= end) {
        throw malformed("truncated " + what + suffix);
      }
      int b = buf[pos++] & 0xFF;
      if (shift == 28 && b > 0x07) {
        throw malformed(what + suffix + " larger than " + Integer.MAX_VALUE);
      }
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw malformed(what + suffix + " not in shortest form");
        }
        return result;
      }
    }
    throw new AssertionError("unreachable: the fifth byte is bounded above");
  }

  /**
   * The element count of a collection, refused unless {@code count * minElementBytes} bytes
   * remain: a claim of 2^31 elements fails here, before any allocation.
   */
  public int getCount(int minElementBytes, String what) {
    int count = pos < end && buf[pos] >= 0 ? buf[pos++] : varint(what, " count");
    if (count > (end - pos) / minElementBytes) {
      throw malformed(what + " of " + count + " elements in " + remaining() + " remaining bytes");
    }
    return count;
  }

  private int getLength(String what) {
    int length = pos < end && buf[pos] >= 0 ? buf[pos++] : varint(what, " length");
    if (length > end - pos) {
      throw malformed(what + " of " + length + " bytes in " + remaining() + " remaining bytes");
    }
    return length;
  }

  /** A length-prefixed byte string. */
  public byte[] getBytes() {
    int length = getLength("byte[]");
    byte[] bytes = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return bytes;
  }

  /** A length-prefixed strict UTF-8 string. */
  public String getString(String what) {
    int length = getLength(what);
    String s;
    int ascii = Utf8.asciiPrefix(buf, pos, length);
    if (ascii == length) {
      s = ascii(buf, pos, length);
    } else {
      // The ASCII prefix is well formed; the strict check starts where it ends.
      int bad = Utf8.firstMalformed(buf, pos + ascii, pos + length);
      if (bad >= 0) {
        pos = bad;
        throw malformed("invalid UTF-8 in " + what);
      }
      s = new String(buf, pos, length, StandardCharsets.UTF_8); // well formed: nothing replaced
    }
    pos += length;
    return s;
  }

  // Most strings are ASCII. String's constructor for a charset is too big for the JIT to inline
  // where a string is read (it decides per charset at run time); this one, for bytes already known
  // to be below 0x80, is a bounds check and a copy of the bytes as the string's Latin-1 value.
  @SuppressWarnings("deprecation")
  private static String ascii(byte[] buf, int offset, int length) {
    return new String(buf, 0, offset, length);
  }

  /**
   * Reads a length-prefixed name and returns the index of the candidate with exactly those bytes,
   * without allocating; refuses a name that none has.
   */
  public int getOneOf(byte[][] candidates, String what) {
    int length = getLength(what);
    for (int i = 0; i < candidates.length; i++) {
      byte[] c = candidates[i];
      if (c.length == length && Arrays.equals(buf, pos, pos + length, c, 0, length)) {
        pos += length;
        return i;
      }
    }
    throw malformed("unknown " + what);
  }
}
