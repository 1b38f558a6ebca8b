package dev.cella.attestation.hardware.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and SHA-384 helpers. Stateless and thread-safe. */
public final class Digests {
  private Digests() {}

  public static byte[] sha256(byte[] data) {
    return digest("SHA-256", data, 0, data.length);
  }

  public static byte[] sha256(byte[] data, int offset, int length) {
    return digest("SHA-256", data, offset, length);
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256(data));
  }

  private static byte[] digest(String algorithm, byte[] data, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      md.update(data, offset, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
