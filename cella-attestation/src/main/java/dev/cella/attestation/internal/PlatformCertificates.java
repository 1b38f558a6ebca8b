package dev.cella.attestation.internal;

import dev.cella.PlatformKind;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * The naming convention that binds a Cella software platform's certificates to its {@link
 * PlatformKind}: the root's subject is exactly {@code CN=Cella <kind> platform root,O=Cella}, the
 * attestation key's is {@code CN=Cella <kind> platform attestation key,O=Cella}. A verifier reads
 * the kind from the trusted root, so a root trusted for {@code process} cannot vouch for {@code vm}
 * (or {@code sim}) evidence.
 *
 * <p>Thread-safe (stateless).
 */
public final class PlatformCertificates {
  private PlatformCertificates() {}

  /** The root certificate's subject for {@code kind}. */
  public static X500Principal rootSubject(PlatformKind kind) {
    return new X500Principal("CN=Cella " + softwareId(kind) + " platform root, O=Cella");
  }

  /** The attestation (leaf) certificate's subject for {@code kind}. */
  public static X500Principal attestationSubject(PlatformKind kind) {
    return new X500Principal("CN=Cella " + softwareId(kind) + " platform attestation key, O=Cella");
  }

  /**
   * The software platform whose root {@code certificate} is, by its exact subject (and issuer: a
   * root is self-issued), or empty when it is no Cella software platform root.
   */
  public static Optional<PlatformKind> rootKindOf(X509Certificate certificate) {
    X500Principal subject = certificate.getSubjectX500Principal();
    if (!subject.equals(certificate.getIssuerX500Principal())) {
      return Optional.empty();
    }
    for (PlatformKind kind : PlatformKind.values()) {
      if (kind.isSoftware() && rootSubject(kind).equals(subject)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /** Lower-case hex SHA-256 of the certificate's DER encoding, as users compare fingerprints. */
  public static String sha256Fingerprint(X509Certificate certificate) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint certificate", e);
    }
  }

  /** {@code 'SUBJECT' (SHA-256 FINGERPRINT)}, how messages name a certificate. */
  public static String describe(X509Certificate certificate) {
    return "'" + certificate.getSubjectX500Principal().getName() + "' (SHA-256 "
        + sha256Fingerprint(certificate) + ")";
  }

  private static String softwareId(PlatformKind kind) {
    if (!kind.isSoftware()) {
      throw new IllegalArgumentException(kind.id() + " is not a Cella software platform");
    }
    return kind.id();
  }
}
