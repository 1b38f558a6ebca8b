package dev.cella.attestation.nitro.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import dev.cella.attestation.hardware.internal.TrustedRoots;
import dev.cella.attestation.hardware.internal.Validity;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Nitro certificate chain, in the document's order: {@code cabundle[0]} is the root and must
 * have a trusted key, each next certificate is issued by the one before it, the last issues the
 * signing certificate. Then every window is checked at the verification time.
 *
 * <p>Stateless and thread-safe.
 */
public final class NitroChain {
  private NitroChain() {}

  /** Parses the document's certificates: cabundle in order, then the signing certificate. */
  public static List<X509Certificate> certificates(NitroPayload payload)
      throws AttestationException {
    List<X509Certificate> chain = new ArrayList<>();
    for (int i = 0; i < payload.cabundle().size(); i++) {
      chain.add(parse(payload.cabundle().get(i), "cabundle[" + i + "]"));
    }
    chain.add(parse(payload.certificate(), "certificate"));
    return chain;
  }

  /** Verifies {@code rootFirst} (cabundle then signing certificate) at {@code at}. */
  public static void verify(List<X509Certificate> rootFirst, TrustedRoots roots, Instant at)
      throws AttestationException {
    X509Certificate first = rootFirst.get(0);
    if (roots.anchorFor(first).isEmpty()) {
      throw new AttestationException(Reason.UNTRUSTED_ROOT, "nitro document: "
          + role(rootFirst, 0) + " '" + Certificates.name(first) + "' has key sha256 "
          + Certificates.spkiSha256(first) + ", which is not a trusted root (expected the AWS "
          + "Nitro Enclaves Root G1 or a root the policy adds)");
    }
    for (int i = 1; i < rootFirst.size(); i++) {
      X509Certificate issuer = rootFirst.get(i - 1);
      X509Certificate cert = rootFirst.get(i);
      if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "nitro document: "
            + role(rootFirst, i) + " '" + Certificates.name(cert) + "' names issuer '"
            + cert.getIssuerX500Principal().getName() + "', but " + role(rootFirst, i - 1)
            + " is '" + Certificates.name(issuer) + "'");
      }
      if (!Certificates.isCa(issuer)) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "nitro document: "
            + role(rootFirst, i - 1) + " '" + Certificates.name(issuer)
            + "' issues a certificate but is not a CA");
      }
      if (!SignatureChecks.certificate(cert, issuer.getPublicKey())) {
        throw new AttestationException(Reason.BAD_SIGNATURE, "nitro document: the signature of "
            + role(rootFirst, i) + " '" + Certificates.name(cert) + "' does not verify under "
            + role(rootFirst, i - 1) + " '" + Certificates.name(issuer) + "'");
      }
    }
    for (int i = rootFirst.size() - 1; i >= 0; i--) {
      Validity.certificate(rootFirst.get(i), "nitro " + role(rootFirst, i), at);
    }
  }

  private static String role(List<X509Certificate> chain, int index) {
    return index == chain.size() - 1 ? "signing certificate" : "cabundle[" + index + "]";
  }

  private static X509Certificate parse(byte[] der, String what) throws AttestationException {
    try {
      if (Certificates.derLength(der, 0, der.length) != der.length) {
        throw new CertificateException("not one DER structure");
      }
      return Certificates.fromDer(der);
    } catch (CertificateException e) {
      throw new AttestationException(Reason.MALFORMED,
          "nitro document: " + what + " is not a DER X.509 certificate: " + e.getMessage(), e);
    }
  }
}
