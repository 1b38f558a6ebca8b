package dev.cella;

import java.util.Objects;

/**
 * What an enclave is: the measurement of its bundle, who signed it, the product and security
 * version the signer gave it, whether it is a debug build, and the kind of platform that runs it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param measurement SHA-384 of the bundle's canonical contents
 * @param signer SHA-384 of the signer's public key
 * @param productId the signer's product id, 0 to 65535
 * @param svn the security version number, 0 to 65535
 * @param debug whether the bundle was signed as a debug build (its secrets are not protected)
 * @param platform the platform that runs the enclave
 */
public record EnclaveIdentity(
    Measurement measurement, SignerId signer, int productId, int svn, boolean debug,
    PlatformKind platform) {

  /** The largest product id or SVN. */
  public static final int MAX_U16 = 0xFFFF;

  public EnclaveIdentity {
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(platform, "platform");
    checkU16("product id", productId);
    checkU16("SVN", svn);
  }

  /** This identity as run by another platform. */
  public EnclaveIdentity onPlatform(PlatformKind other) {
    return new EnclaveIdentity(measurement, signer, productId, svn, debug, other);
  }

  private static void checkU16(String what, int value) {
    if (value < 0 || value > MAX_U16) {
      throw new IllegalArgumentException(what + " must be 0 to 65535, got " + value);
    }
  }
}
