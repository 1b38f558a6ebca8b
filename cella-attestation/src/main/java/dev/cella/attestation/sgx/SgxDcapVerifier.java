package dev.cella.attestation.sgx;

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
import dev.cella.attestation.dcap.internal.SgxReportBody;
import java.util.Optional;

/**
 * Verifies Intel SGX DCAP ECDSA quotes (version 3, and 4/5 with an SGX body): the attestation
 * key's signature and its binding in the QE report, the PCK certificate's signature over the QE
 * report and its chain to the pinned Intel SGX Root CA with CRLs, and the platform's TCB against
 * Intel's TCB info and QE identity read from the collateral folder, every window at the
 * verification time. The TCB status and advisories are reported; accepting them is the policy's
 * decision.
 *
 * <p>The result's measurement is MRENCLAVE, its signer MRSIGNER, product id ISVPRODID, SVN
 * ISVSVN, debug ATTRIBUTES.DEBUG, report data REPORTDATA; claims name the other report fields.
 *
 * <p>Example: {@code new SgxDcapVerifier().verify(quote, new VerificationContext(Instant.now(),
 * List.of(), false, Optional.of(Path.of("collateral"))))}.
 *
 * <p>Stateless and thread-safe; verified collateral is cached by content.
 */
public final class SgxDcapVerifier implements EvidenceVerifier {
  /** A verifier with the pinned Intel root. */
  public SgxDcapVerifier() {}

  @Override
  public String format() {
    return "sgx-dcap";
  }

  @Override
  public boolean recognizes(byte[] evidence) {
    return Quote.looksLike(evidence, Quote.TEE_SGX);
  }

  @Override
  public VerifiedEnclave verify(byte[] evidence, VerificationContext context)
      throws AttestationException {
    return Unforeseen.refuse("sgx quote", () -> verifyChecked(evidence, context));
  }

  private VerifiedEnclave verifyChecked(byte[] evidence, VerificationContext context)
      throws AttestationException {
    DcapVerification.Result r = DcapVerification.verify(evidence, context, Quote.TEE_SGX);
    SgxReportBody b = r.quote().sgxBody().orElseThrow();
    return new VerifiedEnclave("sgx-dcap-v" + r.quote().version(), PlatformKind.SGX,
        SecurityLevel.HARDWARE, Bytes.of(b.mrEnclave()), Optional.of(Bytes.of(b.mrSigner())),
        b.isvProdId(), b.isvSvn(), b.debug(), Bytes.of(b.reportData()), Optional.empty(),
        Optional.empty(), Optional.of(r.appraisal()), DcapClaims.sgx(b, r));
  }
}
