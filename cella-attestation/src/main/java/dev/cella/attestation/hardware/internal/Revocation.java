package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Revocation by CRL: the CRL of an issuer is the one whose signature verifies under the issuer's
 * key (its name alone proves nothing); it must be inside its window at the verification time.
 *
 * <p>Stateless and thread-safe.
 */
public final class Revocation {
  private Revocation() {}

  /**
   * Fails unless a valid CRL of {@code issuer} is among {@code crls} and does not list
   * {@code cert}.
   *
   * @param hint where to get the CRL, for the missing-collateral message
   */
  public static void check(X509Certificate cert, X509Certificate issuer,
      Collection<X509CRL> crls, Instant at, String hint) throws AttestationException {
    List<X509CRL> signed = new ArrayList<>();
    for (X509CRL crl : crls) {
      if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
          && SignatureChecks.crl(crl, issuer.getPublicKey())) {
        signed.add(crl);
      }
    }
    String issuerName = Certificates.name(issuer);
    if (signed.isEmpty()) {
      throw new AttestationException(Reason.MISSING_COLLATERAL, "no CRL signed by '" + issuerName
          + "' among the collateral, needed to check '" + Certificates.name(cert) + "' (" + hint
          + ")");
    }
    X509CRL current = signed.stream()
        .filter(c -> c.getNextUpdate() != null && Validity.contains(
            c.getThisUpdate().toInstant(), c.getNextUpdate().toInstant(), at))
        .max(Comparator.comparing(X509CRL::getThisUpdate))
        .orElse(null);
    if (current == null) {
      X509CRL nearest = signed.stream().max(Comparator.comparing(X509CRL::getThisUpdate)).get();
      Instant next = nearest.getNextUpdate() == null
          ? nearest.getThisUpdate().toInstant() : nearest.getNextUpdate().toInstant();
      Validity.window("CRL of '" + issuerName + "'", nearest.getThisUpdate().toInstant(), next,
          at);
      throw new AttestationException(Reason.EXPIRED, "CRL of '" + issuerName
          + "' has no nextUpdate");
    }
    X509CRLEntry entry = current.getRevokedCertificate(cert.getSerialNumber());
    if (entry != null) {
      throw new AttestationException(Reason.REVOKED, "'" + Certificates.name(cert) + "' (serial "
          + cert.getSerialNumber().toString(16) + ") is revoked since "
          + entry.getRevocationDate().toInstant() + " by the CRL of '" + issuerName
          + "' issued " + current.getThisUpdate().toInstant());
    }
  }
}
