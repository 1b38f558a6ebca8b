package dev.cella.bundle.internal;

import dev.cella.bundle.internal.Der.DerException;
import dev.cella.bundle.internal.Der.Reader;
import dev.cella.bundle.internal.Der.Tlv;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.util.Arrays;

/**
 * PKCS#8 (RFC 5208) encoding of P-384 private keys, with the ECPrivateKey (RFC 5915) inside. Cella
 * writes the public key into the ECPrivateKey's optional {@code publicKey} field, as OpenSSL does,
 * so that a key file names its signer without any curve arithmetic on the secret.
 */
public final class Pkcs8 {
  private static final int SCALAR = 48;

  /** A decoded key: the 48-byte secret scalar (wipe it) and the 97-byte public point, or null. */
  public record Decoded(byte[] scalar, byte[] publicPoint) {}

  private Pkcs8() {}

  /** The PKCS#8 DER of a P-384 key; the caller wipes the result after use. */
  public static byte[] encode(byte[] scalar, ECPublicKey publicKey) {
    byte[] inner = Der.tlv(Der.SEQUENCE, new byte[] {0x02, 0x01, 0x01},
        Der.tlv(Der.OCTET_STRING, scalar),
        Der.tlv(Der.context(1), Der.tlv(Der.BIT_STRING, new byte[] {0}, point(publicKey))));
    byte[] outer = Der.tlv(Der.SEQUENCE, new byte[] {0x02, 0x01, 0x00},
        Der.tlv(Der.SEQUENCE, P384.OID_EC_PUBLIC_KEY, P384.OID_SECP384R1),
        Der.tlv(Der.OCTET_STRING, inner));
    Arrays.fill(inner, (byte) 0);
    return outer;
  }

  /** The PKCS#8 DER of a P-384 key without its public key, for the JDK's KeyFactory. */
  public static byte[] encodeForJdk(byte[] scalar) {
    byte[] inner = Der.tlv(Der.SEQUENCE, new byte[] {0x02, 0x01, 0x01}, Der.tlv(Der.OCTET_STRING, scalar));
    byte[] outer = Der.tlv(Der.SEQUENCE, new byte[] {0x02, 0x01, 0x00},
        Der.tlv(Der.SEQUENCE, P384.OID_EC_PUBLIC_KEY, P384.OID_SECP384R1),
        Der.tlv(Der.OCTET_STRING, inner));
    Arrays.fill(inner, (byte) 0);
    return outer;
  }

  /** The secret scalar of a JDK P-384 private key, from its own PKCS#8 encoding. */
  public static byte[] scalarOf(PrivateKey key) throws InvalidKeyException {
    byte[] der = key.getEncoded();
    try {
      return decode(der).scalar();
    } finally {
      if (der != null) {
        Arrays.fill(der, (byte) 0);
      }
    }
  }

  /** Decodes PKCS#8 DER, refusing anything but a P-384 EC key with a clear message. */
  public static Decoded decode(byte[] der) throws InvalidKeyException {
    if (der == null) {
      throw new InvalidKeyException("the key has no PKCS#8 encoding");
    }
    try {
      Reader top = new Reader(der);
      Reader info = top.next(Der.SEQUENCE).contents();
      top.finish();
      byte[] version = info.next(Der.INTEGER).value();
      if (version.length != 1 || (version[0] != 0 && version[0] != 1)) {
        throw new InvalidKeyException("the PKCS#8 key has an unknown version");
      }
      Reader algorithm = info.next(Der.SEQUENCE).contents();
      Tlv oid = algorithm.next(Der.OID);
      if (!Arrays.equals(Der.tlv(Der.OID, oid.value()), P384.OID_EC_PUBLIC_KEY)) {
        throw new InvalidKeyException(
            "the key is not an EC key; cella signs bundles with ECDSA P-384 (make one with cella keygen)");
      }
      if (algorithm.peekTag() != Der.OID) {
        throw new InvalidKeyException("the EC key does not name its curve; cella needs a P-384 key");
      }
      checkCurve(Der.tlv(Der.OID, algorithm.next(Der.OID).value()));
      Decoded inner = ecPrivateKey(info.next(Der.OCTET_STRING).contents());
      return inner;
    } catch (DerException e) {
      throw new InvalidKeyException("the PKCS#8 key is malformed: its DER " + e.getMessage());
    }
  }

  private static Decoded ecPrivateKey(Reader octets) throws DerException, InvalidKeyException {
    Reader key = octets.next(Der.SEQUENCE).contents();
    octets.finish();
    byte[] version = key.next(Der.INTEGER).value();
    if (version.length != 1 || version[0] != 1) {
      throw new InvalidKeyException("the EC private key has an unknown version");
    }
    Tlv secret = key.next(Der.OCTET_STRING);
    int length = secret.end() - secret.start();
    if (length < 1 || length > SCALAR) {
      throw new InvalidKeyException("the EC private key is not a P-384 key (its secret is "
          + length + " bytes)");
    }
    byte[] scalar = new byte[SCALAR];
    System.arraycopy(secret.source(), secret.start(), scalar, SCALAR - length, length);
    byte[] point = null;
    if (key.peekTag() == Der.context(0)) {
      Reader params = key.next(Der.context(0)).contents();
      checkCurve(Der.tlv(Der.OID, params.next(Der.OID).value()));
    }
    if (key.peekTag() == Der.context(1)) {
      byte[] bits = key.next(Der.context(1)).contents().next(Der.BIT_STRING).value();
      if (bits.length != 98 || bits[0] != 0 || bits[1] != 0x04) {
        Arrays.fill(scalar, (byte) 0);
        throw new InvalidKeyException("the key's public key is not an uncompressed P-384 point");
      }
      point = Arrays.copyOfRange(bits, 1, bits.length);
    }
    return new Decoded(scalar, point);
  }

  private static void checkCurve(byte[] oid) throws InvalidKeyException {
    if (Arrays.equals(oid, P384.OID_SECP384R1)) {
      return;
    }
    String curve = Arrays.equals(oid, P384.OID_PRIME256V1) ? "P-256"
        : Arrays.equals(oid, P384.OID_SECP521R1) ? "P-521" : "another curve";
    throw new InvalidKeyException("the key is an EC key on " + curve
        + "; cella signs bundles with ECDSA P-384 (make one with cella keygen, or with"
        + " openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384)");
  }

  /** The uncompressed encoding {@code 04 || X || Y} of a P-384 public key. */
  public static byte[] point(ECPublicKey key) {
    ECPoint w = key.getW();
    byte[] out = new byte[1 + 2 * SCALAR];
    out[0] = 0x04;
    copyFixed(w.getAffineX(), out, 1);
    copyFixed(w.getAffineY(), out, 1 + SCALAR);
    return out;
  }

  /** The point {@code 04 || X || Y} as coordinates. */
  public static ECPoint pointOf(byte[] uncompressed) {
    return new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 1 + SCALAR)),
        new BigInteger(1, Arrays.copyOfRange(uncompressed, 1 + SCALAR, 1 + 2 * SCALAR)));
  }

  private static void copyFixed(BigInteger value, byte[] out, int at) {
    byte[] b = value.toByteArray();
    int skip = b.length > SCALAR ? b.length - SCALAR : 0;
    System.arraycopy(b, skip, out, at + SCALAR - (b.length - skip), b.length - skip);
  }
}
