package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.dcap.internal.DcapCollateral;

/** Every cache of the hardware verifiers, for measuring cold verification. */
public final class Caches {
  private Caches() {}

  /** Forgets parsed certificates, parsed collateral and remembered signature checks. */
  public static void forgetAll() {
    Certificates.forgetAll();
    DcapCollateral.forgetAll();
    SignatureChecks.forgetAll();
  }
}
