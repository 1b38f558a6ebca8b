package dev.cella;

/**
 * The measurement of a bundle: SHA-384 over the canonical list of its entries (see the bundle
 * format in {@code docs/bundle-format.md}). Equal measurements mean the same trusted code, manifest and
 * configuration.
 *
 * <p>Example: {@code Measurement.fromHex(cliOutput).equals(enclave.identity().measurement())}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Measurement extends Sha384Digest {
  private Measurement(byte[] bytes) {
    super(bytes);
  }

  /** A measurement from its 48 bytes (copied). */
  public static Measurement of(byte[] bytes) {
    return new Measurement(bytes);
  }

  /** A measurement from 96 hex digits. */
  public static Measurement fromHex(String hex) {
    return new Measurement(parseHex(hex));
  }
}
