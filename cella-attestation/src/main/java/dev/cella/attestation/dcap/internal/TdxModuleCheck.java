package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The TDX module against the TCB info: TEE_TCB_SVN byte 1 is the module version and selects the
 * identity {@code TDX_%02X} (byte 0 is its ISVSVN); version 0 is checked against the TCB info's
 * {@code tdxModule}. MRSIGNERSEAM must equal the identity's signer and SEAMATTRIBUTES its
 * attributes under the mask.
 */
final class TdxModuleCheck {
  private TdxModuleCheck() {}

  /** The module's TCB level (version 0: none, reported as UpToDate by Intel's rules). */
  static TcbInfo.ModuleLevel check(TcbInfo info, TdReportBody td) throws AttestationException {
    int version = td.teeTcbSvn()[1] & 0xFF;
    int isvSvn = td.teeTcbSvn()[0] & 0xFF;
    TcbInfo.ModuleIdentity identity;
    if (version == 0) {
      identity = info.tdxModule().orElseThrow(() -> new AttestationException(
          Reason.MALFORMED, "the TDX TCB info has no tdxModule"));
    } else {
      String id = String.format(Locale.ROOT, "TDX_%02X", version);
      identity = info.tdxModuleIdentities().stream().filter(m -> m.id().equals(id)).findFirst()
          .orElseThrow(() -> new AttestationException(Reason.TCB_NOT_ACCEPTED, "the TD report's "
              + "TDX module version " + version + " (TEE_TCB_SVN[1]) has no identity " + id
              + " in the TCB info for FMSPC " + info.fmspc()));
    }
    HexFormat hex = HexFormat.of();
    if (!MessageDigest.isEqual(identity.mrsigner(), td.mrSignerSeam())) {
      throw new AttestationException(Reason.BROKEN_CHAIN, "the TD report's MRSIGNERSEAM "
          + hex.formatHex(td.mrSignerSeam()) + " is not the TDX module identity " + identity.id()
          + "'s " + hex.formatHex(identity.mrsigner()));
    }
    byte[] attributes = td.seamAttributes();
    for (int i = 0; i < attributes.length; i++) {
      if ((attributes[i] & identity.attributesMask()[i])
          != (identity.attributes()[i] & identity.attributesMask()[i])) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "the TD report's SEAMATTRIBUTES "
            + hex.formatHex(attributes) + " differ under the mask from the TDX module identity "
            + identity.id() + "'s " + hex.formatHex(identity.attributes()));
      }
    }
    if (version == 0) {
      return new TcbInfo.ModuleLevel(isvSvn, "UpToDate", List.of());
    }
    for (TcbInfo.ModuleLevel level : identity.levels()) {
      if (isvSvn >= level.isvSvn()) {
        return level;
      }
    }
    throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "TCB level not supported: the TDX "
        + "module ISVSVN " + isvSvn + " (TEE_TCB_SVN[0]) is below every level of " + identity.id());
  }
}
