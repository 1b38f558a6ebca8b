package dev.cella.attestation.snp;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.TcbAppraisal;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Unforeseen;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.ChainBuilder;
import dev.cella.attestation.hardware.internal.EcKeys;
import dev.cella.attestation.hardware.internal.Revocation;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import dev.cella.attestation.snp.internal.AmdKeyCertificate;
import dev.cella.attestation.snp.internal.AmdKeys;
import dev.cella.attestation.snp.internal.AmdRoots;
import dev.cella.attestation.snp.internal.SnpClaims;
import dev.cella.attestation.snp.internal.SnpReport;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies AMD SEV-SNP attestation reports: the report's ECDSA P-384 signature over bytes
 * 0x000–0x29F under the VCEK (or VLEK) found in the collateral folder, that key's AMD extensions
 * against the report (TCB equal to REPORTED_TCB, hwID equal to CHIP_ID), and its chain
 * VCEK → ASK (VLEK → ASVK) → ARK to the pinned AMD roots of Milan, Genoa and Turin, every window
 * at the verification time.
 *
 * <p>The collateral folder holds the VCEK or VLEK (DER or PEM, as AMD KDS serves it) and, if
 * wanted, the ASK/ARK chain (the AMD intermediates also ship in this jar) and AMD CRLs.
 *
 * <p>Example: {@code new SnpVerifier().verify(report, new VerificationContext(Instant.now(),
 * List.of(), false, Optional.of(Path.of("collateral"))))}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SnpVerifier implements EvidenceVerifier {
  /** SPKI SHA-256 of ARK-Milan, ARK-Genoa, ARK-Turin. */
  public static final List<String> AMD_ROOT_KEYS_SHA256 = AmdRoots.PINS;

  /** A verifier with the pinned AMD roots. */
  public SnpVerifier() {}

  @Override
  public String format() {
    return "sev-snp";
  }

  @Override
  public boolean recognizes(byte[] evidence) {
    return SnpReport.looksLike(evidence);
  }

  @Override
  public VerifiedEnclave verify(byte[] evidence, VerificationContext context)
      throws AttestationException {
    return Unforeseen.refuse("sev-snp report", () -> verifyChecked(evidence, context));
  }

  private VerifiedEnclave verifyChecked(byte[] evidence, VerificationContext context)
      throws AttestationException {
    SnpReport report = SnpReport.parse(evidence);
    if (report.signingKey() != SnpReport.SIGNED_BY_VCEK
        && report.signingKey() != SnpReport.SIGNED_BY_VLEK) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "sev-snp report: SIGNING_KEY "
          + report.signingKey() + " is neither VCEK (0) nor VLEK (1)");
    }
    AmdKeys collateral = AmdKeys.read(context.collateralDir());
    AmdKeyCertificate key = signingKey(report, evidence, collateral.candidatesFor(report));
    checkProduct(report, key);
    List<X509Certificate> pool = new ArrayList<>(collateral.certificates());
    pool.addAll(AmdRoots.INTERMEDIATES);
    String role = key.isVlek() ? "VLEK" : "VCEK";
    List<X509Certificate> path = ChainBuilder.build(key.certificate(), role, pool,
        AmdRoots.ROOTS.in(context), context.at());
    checkRevocation(path, collateral.crls(), context);
    return new VerifiedEnclave("sev-snp-v" + report.version(), PlatformKind.SNP,
        SecurityLevel.HARDWARE, Bytes.of(report.measurement()), Optional.empty(), 0,
        (int) Math.min(report.guestSvn(), Integer.MAX_VALUE), report.debug(),
        Bytes.of(report.reportData()), Optional.empty(), Optional.empty(),
        Optional.of(new TcbAppraisal(TcbStatus.UP_TO_DATE, List.of())),
        SnpClaims.of(report, key));
  }

  private static AmdKeyCertificate signingKey(SnpReport report, byte[] evidence,
      List<AmdKeyCertificate> candidates) throws AttestationException {
    for (int i = 48; i < 72; i++) {
      if (report.signatureR()[i] != 0 || report.signatureS()[i] != 0) {
        throw new AttestationException(Reason.MALFORMED, "sev-snp report: malformed at offset "
            + (0x2A0 + (report.signatureR()[i] != 0 ? i : 72 + i))
            + ": P-384 signature components have 48 bytes, the rest must be zero");
      }
    }
    byte[] signature = EcKeys.littleEndianToP1363(report.signatureR(), report.signatureS(), 48);
    for (AmdKeyCertificate key : candidates) {
      if (SignatureChecks.raw("SHA384withECDSAinP1363Format", key.certificate().getPublicKey(),
          evidence, 0, SnpReport.SIGNED_LENGTH, signature, false)) {
        return key;
      }
    }
    AmdKeyCertificate first = candidates.get(0);
    throw new AttestationException(Reason.BAD_SIGNATURE, "sev-snp report: the signature over "
        + "bytes 0x000-0x29F does not verify under the " + (first.isVlek() ? "VLEK" : "VCEK")
        + " '" + Certificates.name(first.certificate()) + "'"
        + (first.hwId().isPresent() ? " of hwID " + first.hwIdHex() : "")
        + (candidates.size() > 1 ? " nor " + (candidates.size() - 1) + " other candidate(s)" : ""));
  }

  private static void checkProduct(SnpReport report, AmdKeyCertificate key)
      throws AttestationException {
    if (report.cpuidFamily() < 0) {
      return;
    }
    boolean turinCpu = report.cpuidFamily() == 0x1A;
    if (turinCpu != key.isTurin()) {
      throw new AttestationException(Reason.BROKEN_CHAIN, "sev-snp report: CPUID family 0x"
          + Integer.toHexString(report.cpuidFamily()) + " does not match the signing key's "
          + "product " + key.productName());
    }
  }

  // AMD publishes CRLs of the ARK for its ASK/ASVK; they are checked when present.
  private static void checkRevocation(List<X509Certificate> path, List<X509CRL> crls,
      VerificationContext context) throws AttestationException {
    if (crls.isEmpty() || path.size() < 3) {
      return;
    }
    X509Certificate ark = path.get(path.size() - 1);
    boolean fromArk = crls.stream().anyMatch(
        c -> c.getIssuerX500Principal().equals(ark.getSubjectX500Principal()));
    if (fromArk) {
      Revocation.check(path.get(path.size() - 2), ark, crls, context.at(),
          "AMD KDS /vcek/v1/<product>/crl");
    }
  }

}
