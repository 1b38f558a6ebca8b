package dev.cella;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable SHA-384 digest (48 bytes) with value semantics. Base of {@link Measurement} and
 * {@link SignerId}; two digests are equal only when they have the same type and bytes.
 *
 * <p>Immutable and thread-safe.
 */
public abstract sealed class Sha384Digest permits Measurement, SignerId {
  /** The length of a SHA-384 digest in bytes. */
  public static final int LENGTH = 48;

  private final byte[] bytes;

  Sha384Digest(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-384 digest has " + LENGTH + " bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    this.bytes = bytes.clone();
  }

  static byte[] parseHex(String hex) {
    if (hex == null || hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-384 digest is " + 2 * LENGTH + " hex digits, got "
              + (hex == null ? "none" : hex.length()));
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex string: " + hex, e);
    }
  }

  /** A copy of the digest's bytes. */
  public final byte[] toByteArray() {
    return bytes.clone();
  }

  /** The digest as lower-case hex. */
  public final String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  /** Compares in constant time with the given bytes. */
  public final boolean matches(byte[] other) {
    return other != null && MessageDigest.isEqual(bytes, other);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && Arrays.equals(bytes, ((Sha384Digest) o).bytes);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public final String toString() {
    return hex();
  }
}
