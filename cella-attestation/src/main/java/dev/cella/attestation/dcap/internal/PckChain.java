package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.ChainBuilder;
import dev.cella.attestation.hardware.internal.Revocation;
import dev.cella.attestation.hardware.internal.TrustedRoots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The PCK certificate that signed the QE report, from the quote (certification data type 5: a
 * PEM chain, or DER certificates back to back) or, for the PPID forms (types 1 to 4), from the
 * collateral; its chain to the Intel root and its revocation status.
 */
final class PckChain {
  private static final int PCK_CHAIN = 5;

  private PckChain() {}

  /** The certificates the quote itself carries. */
  static List<X509Certificate> quoteCertificates(Quote quote) throws AttestationException {
    if (quote.certificationDataType() != PCK_CHAIN) {
      return List.of();
    }
    byte[] data = quote.certificationData();
    try {
      if (Certificates.looksLikePem(data)) {
        return Certificates.fromPem(new String(data, StandardCharsets.US_ASCII));
      }
      int end = data.length;
      while (end > 0 && data[end - 1] == 0) {
        end--;
      }
      return Certificates.fromConcatenatedDer(data, 0, end);
    } catch (CertificateException e) {
      throw new AttestationException(Reason.MALFORMED, "dcap quote: the PCK certificate chain "
          + "in the certification data is neither PEM nor DER: " + e.getMessage(), e);
    }
  }

  /** The PCK that signed the QE report, with its parsed SGX extension. */
  static PckCertificate find(Quote quote, List<X509Certificate> quoteCerts,
      DcapCollateral collateral) throws AttestationException {
    List<X509Certificate> candidates = new ArrayList<>();
    for (X509Certificate c : quoteCerts) {
      if (PckCertificate.isPck(c)) {
        candidates.add(c);
      }
    }
    if (quote.certificationDataType() != PCK_CHAIN) {
      for (X509Certificate c : collateral.certificates()) {
        if (PckCertificate.isPck(c)) {
          candidates.add(c);
        }
      }
    }
    if (candidates.isEmpty()) {
      throw new AttestationException(Reason.MISSING_COLLATERAL, "dcap quote: "
          + (quote.certificationDataType() == PCK_CHAIN
              ? "the PCK chain in the quote has no PCK certificate"
              : "the quote carries no PCK certificate (certification data type "
                  + quote.certificationDataType() + ") and the collateral has none; get it "
                  + "from Intel PCS /sgx/certification/v4/pckcert or the platform's PCCS"));
    }
    for (X509Certificate c : candidates) {
      if (QuoteSignatures.qeReportSignedBy(quote, c.getPublicKey())) {
        try {
          return PckCertificate.of(c);
        } catch (IOException e) {
          throw new AttestationException(Reason.BROKEN_CHAIN, "PCK certificate '"
              + Certificates.name(c) + "' has a malformed SGX extension: " + e.getMessage(), e);
        }
      }
    }
    throw new AttestationException(Reason.BAD_SIGNATURE, "dcap quote: the QE report signature "
        + "does not verify under the PCK certificate '" + Certificates.name(candidates.get(0))
        + "'" + (candidates.size() > 1 ? " nor " + (candidates.size() - 1) + " other(s)" : ""));
  }

  /** The PCK's path to a trusted root (signatures, trust, windows). */
  static List<X509Certificate> verify(PckCertificate pck, List<X509Certificate> pool,
      TrustedRoots roots, Instant at) throws AttestationException {
    return ChainBuilder.build(pck.certificate(), "PCK", pool, roots, at);
  }

  /** Each certificate of {@code path} against its issuer's CRL. */
  static void checkRevocation(List<X509Certificate> path, DcapCollateral collateral, Instant at)
      throws AttestationException {
    for (int i = 0; i + 1 < path.size(); i++) {
      boolean leaf = i == 0;
      Revocation.check(path.get(i), path.get(i + 1), collateral.crls(), at, leaf
          ? "Intel PCS /sgx/certification/v4/pckcrl?ca=platform or ?ca=processor"
          : "the root CA CRL, https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
    }
  }
}
