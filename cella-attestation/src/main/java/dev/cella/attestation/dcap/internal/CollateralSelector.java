package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.ChainBuilder;
import dev.cella.attestation.hardware.internal.Revocation;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import dev.cella.attestation.hardware.internal.TrustedRoots;
import dev.cella.attestation.hardware.internal.Validity;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the TCB info and the QE identity a quote needs from the collateral: of the right kind,
 * signed by Intel's TCB signing certificate (a non-CA certificate issued directly by a trusted
 * root, not revoked, inside its window), inside its own window (issueDate ≤ t < nextUpdate);
 * of several, the highest tcbEvaluationDataNumber, then the latest issueDate.
 */
final class CollateralSelector {
  private CollateralSelector() {}

  /** What a selection needs to check signatures. */
  record Trust(List<X509Certificate> pool, TrustedRoots roots, DcapCollateral collateral,
      Instant at) {}

  static Signed<TcbInfo> tcbInfo(Trust trust, String id, PckCertificate pck)
      throws AttestationException {
    List<Signed<TcbInfo>> all = trust.collateral().tcbInfos();
    List<Signed<TcbInfo>> kind = all.stream()
        .filter(t -> t.value().id().equals(id) && t.value().fmspc().equals(pck.fmspc())
            && t.value().pceId().equals(pck.pceId()))
        .toList();
    if (kind.isEmpty()) {
      throw new AttestationException(Reason.MISSING_COLLATERAL, "no " + id + " TCB info for "
          + "FMSPC " + pck.fmspc() + " and PCE-ID " + pck.pceId() + " among the collateral"
          + found(all, t -> t.value().id() + " for FMSPC " + t.value().fmspc())
          + "; get it from Intel PCS /" + (id.equals("TDX") ? "tdx" : "sgx")
          + "/certification/v4/tcb?fmspc=" + pck.fmspc());
    }
    return select(trust, kind, "TCB info", t -> t.value().issueDate(),
        t -> t.value().nextUpdate(), t -> t.value().evaluationDataNumber(),
        t -> "FMSPC " + t.value().fmspc());
  }

  static Signed<EnclaveIdentity> qeIdentity(Trust trust, String id)
      throws AttestationException {
    List<Signed<EnclaveIdentity>> all = trust.collateral().identities();
    List<Signed<EnclaveIdentity>> kind = all.stream()
        .filter(e -> e.value().id().equals(id)).toList();
    if (kind.isEmpty()) {
      throw new AttestationException(Reason.MISSING_COLLATERAL, "no " + id + " identity among "
          + "the collateral" + found(all, e -> e.value().id())
          + (id.equals("TD_QE") ? "; a TDX quote needs the TD_QE identity, not the SGX QE's"
              : "") + "; get it from Intel PCS /" + (id.equals("TD_QE") ? "tdx" : "sgx")
          + "/certification/v4/qe/identity");
    }
    return select(trust, kind, id + " identity", e -> e.value().issueDate(),
        e -> e.value().nextUpdate(), e -> e.value().evaluationDataNumber(), e -> id);
  }

  private static <T> Signed<T> select(Trust trust, List<Signed<T>> candidates, String what,
      Function<Signed<T>, Instant> issue, Function<Signed<T>, Instant> next,
      Function<Signed<T>, Long> evaluation, Function<Signed<T>, String> label)
      throws AttestationException {
    List<Signed<T>> signed = new ArrayList<>();
    AttestationException firstFailure = null;
    for (Signed<T> c : candidates) {
      try {
        checkSigner(trust, c, what);
        signed.add(c);
      } catch (AttestationException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (signed.isEmpty()) {
      throw firstFailure;
    }
    Comparator<Signed<T>> newest = Comparator.comparing(evaluation).thenComparing(issue);
    List<Signed<T>> current = signed.stream()
        .filter(c -> Validity.contains(issue.apply(c), next.apply(c), trust.at())).toList();
    if (current.isEmpty()) {
      Signed<T> latest = signed.stream().max(Comparator.comparing(issue)).get();
      Validity.window(what + " (" + label.apply(latest) + ", file " + latest.source() + ")",
          issue.apply(latest), next.apply(latest), trust.at());
    }
    return current.stream().max(newest).get();
  }

  /** Fails unless {@code signed} is signed by a TCB signing certificate of a trusted root. */
  private static void checkSigner(Trust trust, Signed<?> signed, String what)
      throws AttestationException {
    List<X509Certificate> ordered = new ArrayList<>(trust.pool());
    ordered.sort(Comparator.comparing(c -> !Certificates.name(c).contains("TCB Signing")));
    for (X509Certificate cert : ordered) {
      if (Certificates.isCa(cert) || PckCertificate.isPck(cert)) {
        continue;
      }
      if (!SignatureChecks.raw(QuoteSignatures.ECDSA_P256, cert.getPublicKey(),
          signed.signedText(), 0, signed.signedText().length, signed.signature(), true)) {
        continue;
      }
      List<X509Certificate> path = ChainBuilder.build(cert, "TCB signing", trust.pool(),
          trust.roots(), trust.at());
      if (path.size() != 2) {
        throw new AttestationException(Reason.BROKEN_CHAIN, what + " (file " + signed.source()
            + ") is signed by '" + Certificates.name(cert) + "', which is not issued directly "
            + "by the root");
      }
      Revocation.check(cert, path.get(1), trust.collateral().crls(), trust.at(),
          "the root CA CRL, https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
      return;
    }
    throw new AttestationException(Reason.BAD_SIGNATURE, "the signature of the " + what
        + " (file " + signed.source() + ") does not verify under any TCB signing certificate "
        + "of the collateral or of this library: its bytes differ from what Intel signed");
  }

  private static <T> String found(List<T> all, Function<T, String> label) {
    if (all.isEmpty()) {
      return "";
    }
    return " (found: " + all.stream().map(label).distinct().collect(Collectors.joining(", "))
        + ")";
  }
}
