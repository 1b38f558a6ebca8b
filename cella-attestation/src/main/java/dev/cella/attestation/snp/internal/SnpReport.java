package dev.cella.attestation.snp.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.hardware.internal.ByteReader;

/**
 * An AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP ABI, versions 2 to 5), parsed, not yet verified.
 * Only the first {@link #SIGNED_LENGTH} bytes are signed. Immutable (arrays are not exposed to
 * callers outside this package).
 */
public record SnpReport(int version, long guestSvn, long policy, byte[] familyId, byte[] imageId,
    long vmpl, long signatureAlgorithm, long currentTcb, long platformInfo, long flags,
    byte[] reportData, byte[] measurement, byte[] hostData, byte[] idKeyDigest,
    byte[] authorKeyDigest, byte[] reportId, byte[] reportIdMa, long reportedTcb, int cpuidFamily,
    int cpuidModel, int cpuidStepping, byte[] chipId, long committedTcb, long launchTcb,
    byte[] signatureR, byte[] signatureS) {
  /** The size of a report. */
  public static final int LENGTH = 0x4A0;
  /** The signature covers bytes 0x000 to 0x29F. */
  public static final int SIGNED_LENGTH = 0x2A0;
  /** ECDSA P-384 with SHA-384, the only algorithm the ABI defines. */
  public static final int ECDSA_P384_SHA384 = 1;
  /** SIGNING_KEY values of the flags field (bits 4:2). */
  public static final int SIGNED_BY_VCEK = 0;
  public static final int SIGNED_BY_VLEK = 1;
  /** Guest policy bit 19: debugging allowed. */
  public static final long POLICY_DEBUG = 1L << 19;

  /** Whether {@code data} has the shape of a report (cheap; no verification). */
  public static boolean looksLike(byte[] data) {
    if (data.length != LENGTH) {
      return false;
    }
    long version = le32(data, 0);
    return version >= 2 && version <= 5 && le32(data, 0x34) == ECDSA_P384_SHA384;
  }

  /** Parses a report; it must be exactly {@link #LENGTH} bytes. */
  public static SnpReport parse(byte[] data) throws AttestationException {
    ByteReader r = new ByteReader("sev-snp report", data);
    if (data.length != LENGTH) {
      throw r.malformed(Math.min(data.length, LENGTH), "a report is " + LENGTH + " bytes, found "
          + data.length);
    }
    long version = r.u32("VERSION");
    if (version < 2 || version > 5) {
      throw r.malformed(0, "VERSION " + version + " is not 2 to 5");
    }
    long guestSvn = r.u32("GUEST_SVN");
    long policy = r.u64("POLICY");
    byte[] familyId = r.bytes(16, "FAMILY_ID");
    byte[] imageId = r.bytes(16, "IMAGE_ID");
    long vmpl = r.u32("VMPL");
    long sigAlgo = r.u32("SIGNATURE_ALGO");
    if (sigAlgo != ECDSA_P384_SHA384) {
      throw r.malformed(0x34, "SIGNATURE_ALGO " + sigAlgo + " is not ECDSA P-384 with SHA-384 (1)");
    }
    long currentTcb = r.u64("CURRENT_TCB");
    long platformInfo = r.u64("PLATFORM_INFO");
    long flags = r.u32("flags");
    r.skip(4, "reserved");
    byte[] reportData = r.bytes(64, "REPORT_DATA");
    byte[] measurement = r.bytes(48, "MEASUREMENT");
    byte[] hostData = r.bytes(32, "HOST_DATA");
    byte[] idKeyDigest = r.bytes(48, "ID_KEY_DIGEST");
    byte[] authorKeyDigest = r.bytes(48, "AUTHOR_KEY_DIGEST");
    byte[] reportId = r.bytes(32, "REPORT_ID");
    byte[] reportIdMa = r.bytes(32, "REPORT_ID_MA");
    long reportedTcb = r.u64("REPORTED_TCB");
    int family = r.u8("CPUID_FAM_ID");
    int model = r.u8("CPUID_MOD_ID");
    int stepping = r.u8("CPUID_STEP");
    r.skip(0x1A0 - 0x18B, "reserved");
    byte[] chipId = r.bytes(64, "CHIP_ID");
    long committedTcb = r.u64("COMMITTED_TCB");
    r.skip(8, "CURRENT and COMMITTED build, minor, major");
    long launchTcb = r.u64("LAUNCH_TCB");
    r.skip(SIGNED_LENGTH - 0x1F8, "reserved");
    byte[] sigR = r.bytes(72, "SIGNATURE R");
    byte[] sigS = r.bytes(72, "SIGNATURE S");
    boolean hasCpuid = version >= 3;
    return new SnpReport((int) version, guestSvn, policy, familyId, imageId, vmpl, sigAlgo,
        currentTcb, platformInfo, flags, reportData, measurement, hostData, idKeyDigest,
        authorKeyDigest, reportId, reportIdMa, reportedTcb, hasCpuid ? family : -1,
        hasCpuid ? model : -1, hasCpuid ? stepping : -1, chipId, committedTcb, launchTcb, sigR,
        sigS);
  }

  /** SIGNING_KEY: 0 VCEK, 1 VLEK, 7 none. */
  public int signingKey() {
    return (int) ((flags >>> 2) & 0x7);
  }

  /** MASK_CHIP_KEY: CHIP_ID is zeroed. */
  public boolean chipIdMasked() {
    return (flags & 0x2) != 0;
  }

  public boolean debug() {
    return (policy & POLICY_DEBUG) != 0;
  }

  private static long le32(byte[] d, int off) {
    return (d[off] & 0xFFL) | (d[off + 1] & 0xFFL) << 8 | (d[off + 2] & 0xFFL) << 16
        | (d[off + 3] & 0xFFL) << 24;
  }
}
