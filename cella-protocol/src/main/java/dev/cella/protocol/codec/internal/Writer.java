package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import dev.cella.protocol.codec.CodecLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable output buffer that refuses to grow past the message limit and counts nesting depth.
 * It may start with a prefix (a frame header the message is carried in), which the limit and
 * {@link #size()} do not count: the message is then written straight into its frame, uncopied.
 * One per message; not thread-safe.
 */
public final class Writer {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final byte[] NO_PREFIX = {};

  private final int maxBytes;
  private final int maxDepth;
  private final int base;
  private byte[] buf;
  private int pos;

  public Writer(CodecLimits limits, int initialCapacity) {
    this(limits, initialCapacity, NO_PREFIX);
  }

  /** A writer whose output starts with {@code prefix}, not counted against the limit. */
  public Writer(CodecLimits limits, int initialCapacity, byte[] prefix) {
    this.maxBytes = limits.maxMessageBytes();
    this.maxDepth = limits.maxNestingDepth();
    this.base = prefix.length;
    // As asked, however small: a hint of the last message's size then fits the next one exactly,
    // and toByteArray returns the buffer itself instead of a trimmed copy.
    this.buf = new byte[base + Math.clamp(initialCapacity, 1, maxBytes)];
    System.arraycopy(prefix, 0, buf, 0, base);
    this.pos = base;
  }

  /** The bytes of the message written so far, the prefix not counted. */
  public int size() {
    return pos - base;
  }

  /** The prefix and the message: the buffer itself when it is exactly full, else a trimmed copy. */
  public byte[] toByteArray() {
    return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
  }

  /** Enters one more level of nesting below {@code depth}; refuses to pass the limit. */
  public int enter(int depth) {
    if (depth >= maxDepth) {
      throw new CodecException(
          "a value nests deeper than the limit of " + maxDepth + " levels and cannot be encoded");
    }
    return depth + 1;
  }

  // The buffer never holds more than the prefix and the limit (the constructor and grow see to
  // it), so a write that fits in the buffer is within the limit: the common case is one compare.
  private void ensure(int n) {
    if (n > buf.length - pos) {
      grow(n);
    }
  }

  private void grow(int n) {
    int need = pos + n;
    if (need - base > maxBytes || need < 0) {
      throw new CodecException(
          "the encoded message would exceed the limit of " + maxBytes + " bytes");
    }
    long limit = Math.min((long) base + maxBytes, Integer.MAX_VALUE - 8);
    int grown = (int) Math.min(limit, Math.max(need, 2L * buf.length));
    buf = Arrays.copyOf(buf, grown);
  }

  public void put(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  public void putShort(int v) {
    ensure(2);
    SHORT.set(buf, pos, (short) v);
    pos += 2;
  }

  public void putInt(int v) {
    ensure(4);
    INT.set(buf, pos, v);
    pos += 4;
  }

  public void putLong(long v) {
    ensure(8);
    LONG.set(buf, pos, v);
    pos += 8;
  }

  /** An unsigned LEB128 varint of a non-negative int, in its shortest form. */
  public void putVarint(int v) {
    // Exactly the bytes it takes: a buffer sized to the message is then never grown at its end.
    ensure(v < 0 ? 5 : (38 - Integer.numberOfLeadingZeros(v | 1)) / 7);
    while ((v & ~0x7F) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** A varint length followed by the bytes. */
  public void putLengthPrefixed(byte[] bytes) {
    putVarint(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  /** A varint length followed by the strict UTF-8 bytes of {@code s}. */
  public void putString(String s) {
    // One pass for the common case, an ASCII string, whose length is its UTF-8 length: shorter
    // than 128 chars, with its one-byte length stored directly. Anything else is measured first,
    // then written.
    int n = s.length();
    if (n < 0x80) {
      ensure(1 + n);
      if (copiedAscii(s, n, pos + 1)) {
        buf[pos] = (byte) n;
        pos += 1 + n;
        return;
      }
    } else {
      int start = pos;
      putVarint(n);
      ensure(n);
      if (copiedAscii(s, n, pos)) {
        pos += n;
        return;
      }
      pos = start;
    }
    int length = Utf8.encodedLength(s);
    putVarint(length);
    ensure(length);
    pos = Utf8.encode(s, buf, pos);
  }

  /** Copies the {@code n} chars of {@code s} to {@code buf[at...]} while they are ASCII. */
  private boolean copiedAscii(String s, int n, int at) {
    byte[] b = buf;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        return false;
      }
      b[at + i] = (byte) c;
    }
    return true;
  }
}
