package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.TcbAppraisal;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.hardware.internal.TrustedRoots;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The DCAP verification both the SGX and the TDX verifier run, in order: parse; attestation-key
 * signature and its binding in the QE report; the PCK that signed the QE report and its chain to
 * the Intel root; QE identity and TCB info of the right kind (signed by Intel, inside their
 * windows); the CRLs of the PCK chain; the QE report against the QE identity; TCB level matching
 * (and, for TDX, the module); the statuses converged and the advisories collected.
 *
 * <p>Stateless and thread-safe (the caches it uses are concurrent).
 */
public final class DcapVerification {
  private DcapVerification() {}

  /** What a verified quote proves besides its body. */
  public record Result(Quote quote, PckCertificate pck, TcbInfo tcbInfo,
      EnclaveIdentity qeIdentity, TcbInfo.Level platformLevel, TcbAppraisal appraisal) {}

  /** Verifies a quote of TEE type {@code tee} ({@link Quote#TEE_SGX} or {@link Quote#TEE_TDX}). */
  public static Result verify(byte[] evidence, VerificationContext context, long tee)
      throws AttestationException {
    Quote quote = Quote.parse(evidence);
    if (quote.teeType() != tee) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "dcap quote: TEE type 0x"
          + Long.toHexString(quote.teeType()) + " is not "
          + (tee == Quote.TEE_SGX ? "SGX (0x0)" : "TDX (0x81)"));
    }
    QuoteSignatures.checkQuote(quote);
    DcapCollateral collateral = DcapCollateral.read(context.collateralDir());
    List<X509Certificate> quoteCerts = PckChain.quoteCertificates(quote);
    PckCertificate pck = PckChain.find(quote, quoteCerts, collateral);
    List<X509Certificate> pool = new ArrayList<>(quoteCerts);
    pool.addAll(collateral.certificates());
    pool.addAll(IntelRoots.INTERMEDIATES);
    TrustedRoots roots = IntelRoots.ROOTS.in(context);
    List<X509Certificate> pckPath = PckChain.verify(pck, pool, roots, context.at());

    boolean tdx = tee == Quote.TEE_TDX;
    var trust = new CollateralSelector.Trust(pool, roots, collateral, context.at());
    EnclaveIdentity identity = CollateralSelector.qeIdentity(trust, tdx ? "TD_QE" : "QE")
        .value();
    TcbInfo info = CollateralSelector.tcbInfo(trust, tdx ? "TDX" : "SGX", pck).value();
    PckChain.checkRevocation(pckPath, collateral, context.at());
    EnclaveIdentity.Level qeLevel = QeIdentityCheck.check(identity, quote.qeReport());

    Optional<byte[]> teeTcbSvn = quote.tdBody().map(TdReportBody::teeTcbSvn);
    TcbInfo.Level level = TcbLevels.match(info, pck, teeTcbSvn);
    String where = info.id() + " TCB info for FMSPC " + info.fmspc();
    TcbStatus status = TcbLevels.status(level.status(), where);
    Set<String> advisories = new LinkedHashSet<>(level.advisoryIds());
    if (tdx) {
      TcbInfo.ModuleLevel module = TdxModuleCheck.check(info, quote.tdBody().get());
      status = TcbLevels.converge(status, TcbLevels.status(module.status(), where));
      advisories.addAll(module.advisoryIds());
    }
    status = TcbLevels.converge(status,
        TcbLevels.status(qeLevel.status(), identity.id() + " identity"));
    advisories.addAll(qeLevel.advisoryIds());
    return new Result(quote, pck, info, identity, level,
        new TcbAppraisal(status, List.copyOf(advisories)));
  }
}
