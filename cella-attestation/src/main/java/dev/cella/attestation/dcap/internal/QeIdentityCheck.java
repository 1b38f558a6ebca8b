package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The QE report against Intel's identity of the quoting enclave: MRSIGNER, ISVPRODID, and
 * MISCSELECT and ATTRIBUTES under their masks, compared byte for byte in report order; then the
 * QE's TCB level from its ISVSVN.
 */
final class QeIdentityCheck {
  private QeIdentityCheck() {}

  /** The QE identity's TCB level for the QE report, or a failure saying what differs. */
  static EnclaveIdentity.Level check(EnclaveIdentity identity, SgxReportBody qe)
      throws AttestationException {
    HexFormat hex = HexFormat.of();
    String who = "the QE report (the quoting enclave that certified the attestation key)";
    if (!MessageDigest.isEqual(identity.mrsigner(), qe.mrSigner())) {
      throw new AttestationException(Reason.BROKEN_CHAIN, who + " has MRSIGNER "
          + hex.formatHex(qe.mrSigner()) + ", the " + identity.id() + " identity requires "
          + hex.formatHex(identity.mrsigner()));
    }
    if (identity.isvProdId() != qe.isvProdId()) {
      throw new AttestationException(Reason.BROKEN_CHAIN, who + " has ISVPRODID "
          + qe.isvProdId() + ", the " + identity.id() + " identity requires "
          + identity.isvProdId());
    }
    masked(who, "MISCSELECT", qe.miscselect(), identity.miscselect(), identity.miscselectMask(),
        identity.id());
    masked(who, "ATTRIBUTES", qe.attributes(), identity.attributes(), identity.attributesMask(),
        identity.id());
    for (EnclaveIdentity.Level level : identity.levels()) {
      if (qe.isvSvn() >= level.isvSvn()) {
        return level;
      }
    }
    throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "QE TCB level not supported: the QE "
        + "report's ISVSVN " + qe.isvSvn() + " is below every TCB level of the " + identity.id()
        + " identity");
  }

  private static void masked(String who, String field, byte[] actual, byte[] expected,
      byte[] mask, String id) throws AttestationException {
    for (int i = 0; i < actual.length; i++) {
      if ((actual[i] & mask[i]) != (expected[i] & mask[i])) {
        HexFormat hex = HexFormat.of();
        throw new AttestationException(Reason.BROKEN_CHAIN, who + " has " + field + " "
            + hex.formatHex(actual) + ", which under the mask " + hex.formatHex(mask)
            + " differs from the " + id + " identity's " + hex.formatHex(expected)
            + " at byte " + i + " (report byte order)");
      }
    }
  }
}
