package dev.cella.attestation.dcap.internal;

import java.util.Arrays;

/**
 * An SGX REPORT body (384 bytes): the enclave's report in an SGX quote, and the QE's report in
 * every DCAP quote. Fields are kept in report (little-endian) byte order. Immutable by
 * convention (its arrays are not handed out of this module).
 */
public record SgxReportBody(byte[] raw, byte[] cpuSvn, byte[] miscselect, byte[] isvExtProdId,
    byte[] attributes, byte[] mrEnclave, byte[] mrSigner, byte[] configId, int isvProdId,
    int isvSvn, int configSvn, byte[] isvFamilyId, byte[] reportData) {
  public static final int LENGTH = 384;
  /** ATTRIBUTES.DEBUG: bit 1 of the first byte. */
  private static final int DEBUG = 0x02;

  /** Splits a 384-byte body into its fields (every layout of 384 bytes is well-formed). */
  public static SgxReportBody parse(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("an SGX report body is 384 bytes");
    }
    return new SgxReportBody(raw.clone(), slice(raw, 0, 16), slice(raw, 16, 4),
        slice(raw, 32, 16), slice(raw, 48, 16), slice(raw, 64, 32), slice(raw, 128, 32),
        slice(raw, 192, 64), u16(raw, 256), u16(raw, 258), u16(raw, 260), slice(raw, 304, 16),
        slice(raw, 320, 64));
  }

  /** Whether ATTRIBUTES has the DEBUG flag. */
  public boolean debug() {
    return (attributes[0] & DEBUG) != 0;
  }

  static byte[] slice(byte[] b, int offset, int length) {
    return Arrays.copyOfRange(b, offset, offset + length);
  }

  static int u16(byte[] b, int offset) {
    return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
  }
}
