package dev.cella.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link WireWriter} wrote, from bytes the other side of the boundary sent and this
 * side does not trust: every length is checked against what is left and against a caller's
 * maximum before anything is allocated; text must be valid UTF-8; {@link #expectEnd(String)} refuses
 * trailing bytes. Every failure is a {@link ProtocolException} saying what and at which offset.
 *
 * <p>Not thread-safe: one reader per message.
 */
public final class WireReader {
  private final byte[] data;
  private final int end;
  private int position;

  public WireReader(byte[] data) {
    this(data, 0, data.length);
  }

  public WireReader(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException("range out of bounds");
    }
    this.data = data;
    this.position = offset;
    this.end = offset + length;
  }

  public int u8(String what) {
    need(1, what);
    return data[position++] & 0xFF;
  }

  public int u16(String what) {
    need(2, what);
    int value = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
    position += 2;
    return value;
  }

  public int u32(String what) {
    need(4, what);
    int value = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
        | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
    position += 4;
    return value;
  }

  public long u64(String what) {
    long high = u32(what) & 0xFFFF_FFFFL;
    return (high << 32) | (u32(what) & 0xFFFF_FFFFL);
  }

  /** Reads a boolean encoded as one byte 0 or 1. */
  public boolean bool(String what) {
    int offset = position;
    int value = u8(what);
    if (value > 1) {
      throw new ProtocolException(what + " at offset " + offset + " must be 0 or 1, got " + value);
    }
    return value == 1;
  }

  /** Reads exactly {@code length} bytes. */
  public byte[] raw(int length, String what) {
    need(length, what);
    byte[] out = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return out;
  }

  /** Reads a u32 length, at most {@code max}, then that many bytes. */
  public byte[] bytes(int max, String what) {
    int offset = position;
    long length = u32(what) & 0xFFFF_FFFFL;
    if (length > max) {
      throw new ProtocolException(
          what + " at offset " + offset + " is " + length + " bytes, more than the limit " + max);
    }
    return raw((int) length, what);
  }

  /** Reads a u32 length, at most {@code maxBytes}, then that many bytes of valid UTF-8. */
  public String string(int maxBytes, String what) {
    int offset = position;
    byte[] utf8 = bytes(maxBytes, what);
    if (isAscii(utf8)) {
      // Names on the hot path (service names, class names) are ASCII: no decoder needed.
      return new String(utf8, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolException(what + " at offset " + offset + " is not valid UTF-8");
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** The rest of the input. */
  public byte[] rest() {
    byte[] out = Arrays.copyOfRange(data, position, end);
    position = end;
    return out;
  }

  public int remaining() {
    return end - position;
  }

  public int position() {
    return position;
  }

  /** Refuses trailing bytes. */
  public void expectEnd(String what) {
    if (position != end) {
      throw new ProtocolException(
          what + " has " + (end - position) + " trailing bytes at offset " + position);
    }
  }

  private void need(int length, String what) {
    if (length < 0 || length > end - position) {
      throw new ProtocolException(
          what + " at offset " + position + " needs " + length + " bytes, only "
              + (end - position) + " left");
    }
  }
}
