package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.util.Arrays;

/**
 * Reads little-endian fixed-layout structures (quotes, reports) and fails with the offset of
 * whatever does not fit. Not thread-safe: one reader per parse.
 */
public final class ByteReader {
  private final String what;
  private final byte[] data;
  private final int end;
  private int pos;

  /** Reads {@code data[start, end)}; offsets in messages are absolute in {@code data}. */
  public ByteReader(String what, byte[] data, int start, int end) {
    if (start < 0 || end > data.length || start > end) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
    this.what = what;
    this.data = data;
    this.pos = start;
    this.end = end;
  }

  public ByteReader(String what, byte[] data) {
    this(what, data, 0, data.length);
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  /** Fails unless {@code n} more bytes are present; {@code field} names them in the message. */
  public void require(int n, String field) throws AttestationException {
    if (n < 0 || end - pos < n) {
      throw malformed(pos, "truncated: " + field + " needs " + Integer.toUnsignedString(n)
          + " bytes, " + (end - pos) + " left");
    }
  }

  public int u8(String field) throws AttestationException {
    require(1, field);
    return data[pos++] & 0xFF;
  }

  public int u16(String field) throws AttestationException {
    require(2, field);
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  /** An unsigned 32-bit value; fails if it does not fit in an int (no layout here needs that). */
  public long u32(String field) throws AttestationException {
    require(4, field);
    long v = (data[pos] & 0xFFL) | (data[pos + 1] & 0xFFL) << 8 | (data[pos + 2] & 0xFFL) << 16
        | (data[pos + 3] & 0xFFL) << 24;
    pos += 4;
    return v;
  }

  public long u64(String field) throws AttestationException {
    require(8, field);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (data[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  public byte[] bytes(int n, String field) throws AttestationException {
    require(n, field);
    byte[] out = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  public void skip(int n, String field) throws AttestationException {
    require(n, field);
    pos += n;
  }

  /** A MALFORMED failure at {@code offset} of this structure. */
  public AttestationException malformed(int offset, String message) {
    return new AttestationException(Reason.MALFORMED,
        what + ": malformed at offset " + offset + " (0x" + Integer.toHexString(offset) + "): "
            + message);
  }
}
