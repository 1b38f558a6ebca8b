package dev.cella.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends big-endian fixed-width integers and length-prefixed byte strings to a growing buffer.
 * The counterpart of {@link WireReader}.
 *
 * <p>Not thread-safe: one writer per message.
 */
public final class WireWriter {
  private byte[] buffer;
  private int size;

  public WireWriter(int initialCapacity) {
    this.buffer = new byte[Math.max(16, initialCapacity)];
  }

  public WireWriter u8(int value) {
    ensure(1);
    buffer[size++] = (byte) value;
    return this;
  }

  public WireWriter u16(int value) {
    ensure(2);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  public WireWriter u32(int value) {
    ensure(4);
    buffer[size++] = (byte) (value >>> 24);
    buffer[size++] = (byte) (value >>> 16);
    buffer[size++] = (byte) (value >>> 8);
    buffer[size++] = (byte) value;
    return this;
  }

  public WireWriter u64(long value) {
    u32((int) (value >>> 32));
    return u32((int) value);
  }

  /** Appends {@code bytes} without a length prefix. */
  public WireWriter raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
    return this;
  }

  /** Appends a u32 length, then {@code bytes}. */
  public WireWriter bytes(byte[] bytes) {
    u32(bytes.length);
    return raw(bytes);
  }

  /** Appends a u32 length, then the UTF-8 encoding of {@code text}. */
  public WireWriter string(String text) {
    return bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return size;
  }

  /** The bytes written so far (a copy sized exactly). */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, size);
  }

  private void ensure(int more) {
    int needed = Math.addExact(size, more);
    if (needed > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
    }
  }
}
