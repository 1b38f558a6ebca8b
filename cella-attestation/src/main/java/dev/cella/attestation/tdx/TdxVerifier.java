package dev.cella.attestation.tdx;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Unforeseen;
import dev.cella.attestation.dcap.internal.DcapClaims;
import dev.cella.attestation.dcap.internal.DcapVerification;
import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.dcap.internal.TdReportBody;
import java.util.Optional;

/**
 * Verifies Intel TDX quotes (version 4, and version 5 with a TD report 1.0 or 1.5 body): the same
 * DCAP chain as SGX (attestation key, TD_QE report, PCK chain to the pinned Intel SGX Root CA,
 * CRLs), the TDX TCB info (TDX component SVNs, the TDX module identity selected by
 * TEE_TCB_SVN[1]) and the TD_QE identity from the collateral folder, every window at the
 * verification time. The end of a quote is computed from its signature data length; zero
 * padding after it is allowed.
 *
 * <p>The result's measurement is MRTD, debug is TDATTRIBUTES.DEBUG, report data REPORTDATA;
 * claims hold the RTMRs, MRCONFIGID, MROWNER, MRSEAM and the other TD report fields.
 *
 * <p>Example: {@code new TdxVerifier().verify(quote, new VerificationContext(Instant.now(),
 * List.of(), false, Optional.of(Path.of("collateral"))))}.
 *
 * <p>Stateless and thread-safe; verified collateral is cached by content.
 */
public final class TdxVerifier implements EvidenceVerifier {
  /** A verifier with the pinned Intel root. */
  public TdxVerifier() {}

  @Override
  public String format() {
    return "tdx-dcap";
  }

  @Override
  public boolean recognizes(byte[] evidence) {
    return Quote.looksLike(evidence, Quote.TEE_TDX);
  }

  @Override
  public VerifiedEnclave verify(byte[] evidence, VerificationContext context)
      throws AttestationException {
    return Unforeseen.refuse("tdx quote", () -> verifyChecked(evidence, context));
  }

  private VerifiedEnclave verifyChecked(byte[] evidence, VerificationContext context)
      throws AttestationException {
    DcapVerification.Result r = DcapVerification.verify(evidence, context, Quote.TEE_TDX);
    TdReportBody b = r.quote().tdBody().orElseThrow();
    return new VerifiedEnclave("tdx-dcap-v" + r.quote().version(), PlatformKind.TDX,
        SecurityLevel.HARDWARE, Bytes.of(b.mrTd()), Optional.empty(), 0, 0, b.debug(),
        Bytes.of(b.reportData()), Optional.empty(), Optional.empty(),
        Optional.of(r.appraisal()), DcapClaims.tdx(b, r));
  }
}
