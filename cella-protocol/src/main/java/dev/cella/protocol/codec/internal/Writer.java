package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import dev.cella.protocol.codec.CodecLimits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable output buffer that refuses to grow past the message limit and counts nesting depth.
 * One per message; not thread-safe.
 */
public final class Writer {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int maxBytes;
  private final int maxDepth;
  private byte[] buf;
  private int pos;

  public Writer(CodecLimits limits, int initialCapacity) {
    this.maxBytes = limits.maxMessageBytes();
    this.maxDepth = limits.maxNestingDepth();
    this.buf = new byte[Math.clamp(initialCapacity, 16, maxBytes)];
  }

  /** The bytes written so far. */
  public int size() {
    return pos;
  }

  /** The message: the buffer itself when it is exactly full, else a trimmed copy. */
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

  private void ensure(int n) {
    int need = pos + n;
    if (need > maxBytes || need < 0) {
      throw new CodecException(
          "the encoded message would exceed the limit of " + maxBytes + " bytes");
    }
    if (need > buf.length) {
      int grown = (int) Math.min(maxBytes, Math.max(need, 2L * buf.length));
      buf = Arrays.copyOf(buf, grown);
    }
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
    ensure(5);
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
    int length = Utf8.encodedLength(s);
    putVarint(length);
    ensure(length);
    pos = Utf8.encode(s, buf, pos);
  }
}
