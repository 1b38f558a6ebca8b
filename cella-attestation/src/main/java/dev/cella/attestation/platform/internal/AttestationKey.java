package dev.cella.attestation.platform.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A platform's current attestation key and the certificate its root issued for it. Holds a
 * private key: no {@code equals}, {@code hashCode} or {@code toString}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AttestationKey {
  private final PrivateKey privateKey;
  private final X509Certificate certificate;

  AttestationKey(PrivateKey privateKey, X509Certificate certificate) {
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.certificate = Objects.requireNonNull(certificate, "certificate");
  }

  /** The signing key; only the evidence issuer uses it. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The leaf certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Whether the certificate ends before {@code now + margin}, so that it must be re-issued. */
  public boolean needsRenewal(Instant now, Duration margin) {
    return !certificate.getNotAfter().toInstant().isAfter(now.plus(margin));
  }
}
