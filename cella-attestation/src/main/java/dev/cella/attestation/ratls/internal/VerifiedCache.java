package dev.cella.attestation.ratls.internal;

import dev.cella.attestation.VerifiedEnclave;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results of certificates a trust manager verified, keyed by the SHA-256 of the certificate's
 * DER encoding, so that presenting the same bytes again skips the signature checks. Only the
 * time-dependent checks need redoing, which the caller does on every hit. Bounded; the least
 * recently used entry goes first.
 *
 * <p>Thread-safe.
 */
public final class VerifiedCache {
  private final int capacity;
  private final Map<String, VerifiedEnclave> entries;

  public VerifiedCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The key of {@code certificate}. */
  public static String keyOf(X509Certificate certificate) throws CertificateEncodingException {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public synchronized VerifiedEnclave getOrNull(String key) {
    return entries.get(key);
  }

  public synchronized void put(String key, VerifiedEnclave enclave) {
    entries.put(key, enclave);
    if (entries.size() > capacity) {
      var eldest = entries.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
