package dev.cella.attestation.platform.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * PEM (RFC 7468) for the platform files: {@code CERTIFICATE} and unencrypted PKCS#8 {@code
 * PRIVATE KEY} blocks. Works on bytes, not strings, so that a private key's encodings can be
 * wiped after use.
 *
 * <p>Thread-safe (stateless).
 */
public final class Pem {
  static final String CERTIFICATE = "CERTIFICATE";
  static final String PRIVATE_KEY = "PRIVATE KEY";

  private Pem() {}

  /** The PEM block of a certificate. */
  public static byte[] certificate(X509Certificate certificate) throws CertificateEncodingException {
    return block(CERTIFICATE, certificate.getEncoded());
  }

  /** The PEM block of an EC private key (PKCS#8); the caller wipes the result. */
  static byte[] privateKey(PrivateKey key) {
    byte[] der = key.getEncoded();
    try {
      return block(PRIVATE_KEY, der);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  static byte[] block(String label, byte[] der) {
    byte[] base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
    byte[] begin = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] end = ("\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[begin.length + base64.length + end.length];
    System.arraycopy(begin, 0, out, 0, begin.length);
    System.arraycopy(base64, 0, out, begin.length, base64.length);
    System.arraycopy(end, 0, out, begin.length + base64.length, end.length);
    Arrays.fill(base64, (byte) 0);
    return out;
  }

  /** The DER content of the only {@code label} block in {@code pem}; the caller wipes it. */
  static byte[] decode(byte[] pem, String label) throws GeneralSecurityException {
    byte[] begin = ("-----BEGIN " + label + "-----").getBytes(StandardCharsets.US_ASCII);
    byte[] end = ("-----END " + label + "-----").getBytes(StandardCharsets.US_ASCII);
    int start = indexOf(pem, begin, 0);
    if (start < 0) {
      throw new GeneralSecurityException("no " + label + " block");
    }
    int stop = indexOf(pem, end, start + begin.length);
    if (stop < 0) {
      throw new GeneralSecurityException("unterminated " + label + " block");
    }
    if (indexOf(pem, begin, stop) >= 0) {
      throw new GeneralSecurityException("more than one " + label + " block");
    }
    byte[] base64 = new byte[stop - start - begin.length];
    int length = 0;
    for (int i = start + begin.length; i < stop; i++) {
      byte b = pem[i];
      if (b != '\n' && b != '\r' && b != ' ' && b != '\t') {
        base64[length++] = b;
      }
    }
    try {
      return Base64.getDecoder().decode(Arrays.copyOf(base64, length));
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("bad base64 in " + label + " block", e);
    } finally {
      Arrays.fill(base64, (byte) 0);
    }
  }

  /** The certificate of the only CERTIFICATE block in {@code pem}. */
  static X509Certificate readCertificate(byte[] pem) throws GeneralSecurityException {
    byte[] der = decode(pem, CERTIFICATE);
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new GeneralSecurityException("not an X.509 certificate", e);
    }
  }

  /** The EC private key of the only PRIVATE KEY block in {@code pem}. */
  static PrivateKey readPrivateKey(byte[] pem) throws GeneralSecurityException {
    byte[] der = decode(pem, PRIVATE_KEY);
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
