package dev.cella.attestation.snp.internal;

import dev.cella.attestation.ClaimNames;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The claims of a verified SNP report: only fields of the signed bytes 0x000–0x29F. Stateless and
 * thread-safe.
 */
public final class SnpClaims {
  private SnpClaims() {}

  public static Map<String, String> of(SnpReport r, AmdKeyCertificate key) {
    HexFormat hex = HexFormat.of();
    Map<String, String> c = new HashMap<>();
    c.put(ClaimNames.SNP_MEASUREMENT, hex.formatHex(r.measurement()));
    c.put(ClaimNames.HOST_DATA, hex.formatHex(r.hostData()));
    c.put(ClaimNames.ID_KEY_DIGEST, hex.formatHex(r.idKeyDigest()));
    c.put(ClaimNames.AUTHOR_KEY_DIGEST, hex.formatHex(r.authorKeyDigest()));
    c.put(ClaimNames.GUEST_POLICY, Long.toUnsignedString(r.policy()));
    c.put(ClaimNames.GUEST_SVN, Long.toString(r.guestSvn()));
    c.put(ClaimNames.FAMILY_ID, hex.formatHex(r.familyId()));
    c.put(ClaimNames.IMAGE_ID, hex.formatHex(r.imageId()));
    c.put(ClaimNames.CHIP_ID, hex.formatHex(r.chipId()));
    c.put(ClaimNames.VMPL, Long.toString(r.vmpl()));
    c.put(ClaimNames.REPORTED_TCB, tcbHex(r.reportedTcb()));
    c.put(ClaimNames.CURRENT_TCB, tcbHex(r.currentTcb()));
    c.put(ClaimNames.COMMITTED_TCB, tcbHex(r.committedTcb()));
    c.put(ClaimNames.LAUNCH_TCB, tcbHex(r.launchTcb()));
    c.put(ClaimNames.PLATFORM_INFO, Long.toUnsignedString(r.platformInfo()));
    c.put(ClaimNames.REPORT_ID, hex.formatHex(r.reportId()));
    c.put(ClaimNames.SNP_SIGNING_KEY, key.isVlek() ? "vlek" : "vcek");
    c.put(ClaimNames.SNP_PRODUCT, key.productName());
    TcbVersion tcb = TcbVersion.of(r.reportedTcb(), key.isTurin());
    c.put(ClaimNames.SNP_TCB_BOOTLOADER, Integer.toString(tcb.bootloader()));
    c.put(ClaimNames.SNP_TCB_TEE, Integer.toString(tcb.tee()));
    c.put(ClaimNames.SNP_TCB_SNP, Integer.toString(tcb.snp()));
    c.put(ClaimNames.SNP_TCB_MICROCODE, Integer.toString(tcb.microcode()));
    if (tcb.fmc() >= 0) {
      c.put(ClaimNames.SNP_TCB_FMC, Integer.toString(tcb.fmc()));
    }
    return c;
  }

  /** The 8 bytes of a TCB_VERSION in report (little-endian) order. */
  private static String tcbHex(long raw) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (raw >>> (8 * i));
    }
    return HexFormat.of().formatHex(b);
  }
}
