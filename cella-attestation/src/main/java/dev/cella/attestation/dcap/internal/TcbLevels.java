package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.TcbStatus;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Intel's TCB level matching: the first level (in the TCB info's order, highest first) whose SGX
 * component SVNs and PCESVN the PCK certificate reaches and, for TDX, whose TDX component SVNs
 * the TD report's TEE_TCB_SVN reaches (from byte 2 on when byte 1, the TDX module version, is
 * set). No such level is "TCB level not supported", an error, not a status.
 */
final class TcbLevels {
  private TcbLevels() {}

  /** The matched level: for TDX the TDX level (its status and advisories govern). */
  static TcbInfo.Level match(TcbInfo info, PckCertificate pck, Optional<byte[]> teeTcbSvn)
      throws AttestationException {
    boolean sgxMatched = false;
    for (TcbInfo.Level level : info.levels()) {
      if (!reaches(pck.componentSvns(), level.sgxComponents(), 0)
          || pck.pceSvn() < level.pceSvn()) {
        continue;
      }
      if (teeTcbSvn.isEmpty()) {
        return level;
      }
      sgxMatched = true;
      int[] tee = unsigned(teeTcbSvn.get());
      int from = tee[1] > 0 ? 2 : 0;
      if (level.tdxComponents().isPresent() && reaches(tee, level.tdxComponents().get(), from)) {
        return level;
      }
    }
    String where = "the " + info.id() + " TCB info for FMSPC " + info.fmspc()
        + " (tcbEvaluationDataNumber " + info.evaluationDataNumber() + ")";
    if (!sgxMatched) {
      throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "TCB level not supported: no TCB "
          + "level of " + where + " matches the PCK certificate's SGX TCB components "
          + Arrays.toString(pck.componentSvns()) + " and PCESVN " + pck.pceSvn());
    }
    throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "TCB level not supported: no TCB "
        + "level of " + where + " matches the TD report's TEE_TCB_SVN "
        + HexFormat.of().formatHex(teeTcbSvn.get()));
  }

  /** The status a TCB info or identity names; an unknown name is malformed collateral. */
  static TcbStatus status(String id, String where) throws AttestationException {
    try {
      return TcbStatus.fromId(id);
    } catch (IllegalArgumentException e) {
      throw new AttestationException(Reason.MALFORMED, where + ": unknown tcbStatus '" + id + "'",
          e);
    }
  }

  /** Intel's convergence with an OutOfDate or Revoked QE or TDX module status. */
  static TcbStatus converge(TcbStatus platform, TcbStatus other) {
    if (other == TcbStatus.OUT_OF_DATE || other == TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED) {
      if (platform == TcbStatus.UP_TO_DATE || platform == TcbStatus.SW_HARDENING_NEEDED) {
        return TcbStatus.OUT_OF_DATE;
      }
      if (platform == TcbStatus.CONFIGURATION_NEEDED
          || platform == TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED) {
        return TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
      }
    }
    if (other == TcbStatus.REVOKED) {
      return TcbStatus.REVOKED;
    }
    return platform;
  }

  private static boolean reaches(int[] actual, int[] required, int from) {
    for (int i = from; i < 16; i++) {
      if (actual[i] < required[i]) {
        return false;
      }
    }
    return true;
  }

  private static int[] unsigned(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xFF;
    }
    return out;
  }
}
