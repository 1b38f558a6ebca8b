package dev.cella.bundle;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a bundle's signer signs: the measurement and the identity claims of the manifest, encoded
 * with a domain separator so the signature means nothing in any other context. The encoding
 * ({@link #toBytes()}) is fixed by bundle format 1:
 *
 * <pre>
 * "CELLA-BUNDLE-SIGNATURE-V1" (25 ASCII bytes) || 0x00
 * || measurement (48 bytes) || productId (u16 big-endian) || svn (u16 big-endian)
 * || debug (one byte, 0 or 1)
 * </pre>
 *
 * 79 bytes in all. It is signed with ECDSA P-384 over SHA-384 (the JDK's {@code SHA384withECDSA},
 * {@code openssl dgst -sha384 -sign}).
 *
 * <p>Example: {@code Files.write(path, bundle.signingPayload().toBytes())}, then sign the file
 * with an HSM or {@code openssl dgst -sha384 -sign key.pem -out sig.der path}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param measurement the bundle's measurement
 * @param productId the manifest's product id, 0 to 65535
 * @param svn the manifest's SVN, 0 to 65535
 * @param debug the manifest's debug flag
 */
public record SigningPayload(Measurement measurement, int productId, int svn, boolean debug) {
  /** The domain separator that starts every payload (followed by one 0x00 byte). */
  public static final String DOMAIN = "CELLA-BUNDLE-SIGNATURE-V1";
  /** The length of the encoding in bytes. */
  public static final int LENGTH = DOMAIN.length() + 1 + 48 + 2 + 2 + 1;

  public SigningPayload {
    Objects.requireNonNull(measurement, "measurement");
    if (productId < 0 || productId > EnclaveIdentity.MAX_U16) {
      throw new IllegalArgumentException("productId must be 0 to 65535, got " + productId);
    }
    if (svn < 0 || svn > EnclaveIdentity.MAX_U16) {
      throw new IllegalArgumentException("svn must be 0 to 65535, got " + svn);
    }
  }

  /** The payload of a bundle with {@code measurement} and {@code manifest}. */
  public static SigningPayload of(Measurement measurement, Manifest manifest) {
    return new SigningPayload(measurement, manifest.productId(), manifest.svn(), manifest.debug());
  }

  /** The exact bytes that are signed. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(DOMAIN.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    b.put(measurement.toByteArray());
    b.putShort((short) productId).putShort((short) svn).put((byte) (debug ? 1 : 0));
    return b.array();
  }
}
