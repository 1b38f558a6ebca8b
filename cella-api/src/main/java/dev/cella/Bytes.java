package dev.cella;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value semantics and a hex {@code toString}: for measurements,
 * report data, nonces and other non-secret binary values. Never use it for secrets.
 *
 * <p>Example: {@code Bytes.fromHex("00ff").length() == 2}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Bytes implements Comparable<Bytes> {
  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Bytes of(byte[] bytes, int offset, int length) {
    return new Bytes(Arrays.copyOfRange(bytes, offset, Math.addExact(offset, length)));
  }

  /** The empty byte string. */
  public static Bytes empty() {
    return EMPTY;
  }

  /** Parses hex digits (either case, even count); refuses anything else. */
  public static Bytes fromHex(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex needs an even number of digits, got " + hex.length());
    }
    try {
      return new Bytes(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: '" + abbreviate(hex) + "'", e);
    }
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Lower-case hex. */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Compares in constant time (for equal lengths) with {@code other}. */
  public boolean constantTimeEquals(Bytes other) {
    return MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
