package dev.cella.attestation.hardware.internal;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verifies signatures and remembers the ones that verified, by the SHA-256 of what was signed,
 * of the key and of the signature: a certificate, CRL, TCB info or QE report seen before costs a
 * hash instead of a signature check. Failures are never cached. Counts the signature checks it
 * really performs (for tests and the performance note). Thread-safe.
 */
public final class SignatureChecks {
  private static final int CACHE_LIMIT = 16_384;
  private static final Map<String, Boolean> VERIFIED = new ConcurrentHashMap<>();
  private static final LongAdder PERFORMED = new LongAdder();

  private SignatureChecks() {}

  /** Whether {@code cert} is signed by {@code issuerKey}. */
  public static boolean certificate(X509Certificate cert, PublicKey issuerKey) {
    try {
      String key = "c" + Digests.sha256Hex(cert.getEncoded()) + keyId(issuerKey);
      if (VERIFIED.containsKey(key)) {
        return true;
      }
      PERFORMED.increment();
      cert.verify(issuerKey);
      remember(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** Whether {@code crl} is signed by {@code issuerKey}. */
  public static boolean crl(X509CRL crl, PublicKey issuerKey) {
    try {
      String key = "r" + Digests.sha256Hex(crl.getEncoded()) + keyId(issuerKey);
      if (VERIFIED.containsKey(key)) {
        return true;
      }
      PERFORMED.increment();
      crl.verify(issuerKey);
      remember(key);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether {@code signature} (in the encoding {@code algorithm} expects) over
   * {@code data[offset, offset + length)} verifies under {@code key}; {@code cache} remembers a
   * success (for signed values that recur, such as collateral or a QE report).
   */
  public static boolean raw(String algorithm, PublicKey key, byte[] data, int offset, int length,
      byte[] signature, boolean cache) {
    String id = null;
    if (cache) {
      id = "s" + algorithm + HexFormat.of().formatHex(Digests.sha256(data, offset, length))
          + keyId(key) + Digests.sha256Hex(signature);
      if (VERIFIED.containsKey(id)) {
        return true;
      }
    }
    try {
      PERFORMED.increment();
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(key);
      s.update(data, offset, length);
      if (!s.verify(signature)) {
        return false;
      }
      if (id != null) {
        remember(id);
      }
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** How many signature checks were really performed since the JVM started. */
  public static long performed() {
    return PERFORMED.sum();
  }

  /** Forgets every remembered signature (tests measure cold paths with it). */
  public static void forgetAll() {
    VERIFIED.clear();
  }

  private static String keyId(PublicKey key) {
    return Digests.sha256Hex(key.getEncoded());
  }

  private static void remember(String key) {
    if (VERIFIED.size() >= CACHE_LIMIT) {
      VERIFIED.clear();
    }
    VERIFIED.put(key, Boolean.TRUE);
  }
}
