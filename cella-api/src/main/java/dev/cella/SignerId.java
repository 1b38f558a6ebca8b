package dev.cella;

/**
 * The identity of a bundle's signer: SHA-384 of the DER encoding (SubjectPublicKeyInfo) of the
 * signer's public key.
 *
 * <p>Immutable and thread-safe.
 */
public final class SignerId extends Sha384Digest {
  private SignerId(byte[] bytes) {
    super(bytes);
  }

  /** A signer id from its 48 bytes (copied). */
  public static SignerId of(byte[] bytes) {
    return new SignerId(bytes);
  }

  /** A signer id from 96 hex digits. */
  public static SignerId fromHex(String hex) {
    return new SignerId(parseHex(hex));
  }
}
