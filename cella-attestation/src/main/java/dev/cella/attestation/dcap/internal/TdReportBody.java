package dev.cella.attestation.dcap.internal;

import java.util.List;
import java.util.Optional;

/**
 * A TD report body of a TDX quote: TD report 1.0 (584 bytes, quote v4 and v5 type 2) or 1.5
 * (648 bytes, v5 type 3, adding TEE_TCB_SVN_2 and MRSERVICETD). Fields in report byte order.
 *
 * <p>Immutable by convention (its arrays are not handed out of this module).
 */
public record TdReportBody(byte[] raw, byte[] teeTcbSvn, byte[] mrSeam, byte[] mrSignerSeam,
    byte[] seamAttributes, byte[] tdAttributes, byte[] xfam, byte[] mrTd, byte[] mrConfigId,
    byte[] mrOwner, byte[] mrOwnerConfig, List<byte[]> rtmrs, byte[] reportData,
    Optional<byte[]> teeTcbSvn2, Optional<byte[]> mrServiceTd) {
  public static final int LENGTH_10 = 584;
  public static final int LENGTH_15 = 648;
  /** TDATTRIBUTES.DEBUG: bit 0. */
  private static final int DEBUG = 0x01;

  /** Splits a 584- or 648-byte body into its fields. */
  public static TdReportBody parse(byte[] raw) {
    if (raw.length != LENGTH_10 && raw.length != LENGTH_15) {
      throw new IllegalArgumentException("a TD report body is 584 or 648 bytes");
    }
    boolean v15 = raw.length == LENGTH_15;
    return new TdReportBody(raw.clone(), s(raw, 0, 16), s(raw, 16, 48), s(raw, 64, 48),
        s(raw, 112, 8), s(raw, 120, 8), s(raw, 128, 8), s(raw, 136, 48), s(raw, 184, 48),
        s(raw, 232, 48), s(raw, 280, 48),
        List.of(s(raw, 328, 48), s(raw, 376, 48), s(raw, 424, 48), s(raw, 472, 48)),
        s(raw, 520, 64), v15 ? Optional.of(s(raw, 584, 16)) : Optional.empty(),
        v15 ? Optional.of(s(raw, 600, 48)) : Optional.empty());
  }

  public boolean debug() {
    return (tdAttributes[0] & DEBUG) != 0;
  }

  private static byte[] s(byte[] b, int offset, int length) {
    return SgxReportBody.slice(b, offset, length);
  }
}
