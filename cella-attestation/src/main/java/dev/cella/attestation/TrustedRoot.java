package dev.cella.attestation;

import dev.cella.attestation.internal.PlatformCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A root certificate an {@link AttestationPolicy} trusts, and the PEM file it was read from, if
 * any (so that the policy's text form can name it again: {@code root=PEM-FILE}).
 *
 * <p>Example: {@code policy.trustedRoots().get(0).pemFile().orElseThrow()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param certificate the self-signed root certificate
 * @param pemFile the file it was read from, as given; empty for a root given as a certificate
 */
public record TrustedRoot(X509Certificate certificate, Optional<Path> pemFile) {
  public TrustedRoot {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(pemFile, "pemFile");
  }

  /** The subject, SHA-256 fingerprint and file; not the whole certificate. */
  @Override
  public String toString() {
    return "TrustedRoot[" + PlatformCertificates.describe(certificate)
        + pemFile.map(f -> " from " + f).orElse("") + "]";
  }
}
