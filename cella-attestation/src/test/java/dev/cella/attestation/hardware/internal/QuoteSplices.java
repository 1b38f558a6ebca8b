package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.dcap.internal.Quote;

/** Rewrites parts of a DCAP quote that no signature covers, for the fuzz targets. */
public final class QuoteSplices {
  private QuoteSplices() {}

  /**
   * {@code quote} (v3 or v4) with its certification data replaced by type 5 and {@code data}, and
   * the lengths that enclose it (signature data, and for v4 the QE report certification data)
   * fixed to fit. None of these bytes is signed.
   */
  public static byte[] withCertificationData(byte[] quote, byte[] data) {
    Quote q;
    try {
      q = Quote.parse(quote);
    } catch (AttestationException e) {
      throw new IllegalArgumentException("not a quote: " + e.getMessage(), e);
    }
    int certAt = q.end() - q.certificationData().length - 6;
    byte[] out = new byte[certAt + 6 + data.length];
    System.arraycopy(quote, 0, out, 0, certAt);
    putLe(out, certAt, 5, 2);
    putLe(out, certAt + 2, data.length, 4);
    System.arraycopy(data, 0, out, certAt + 6, data.length);
    int sigStart = q.signedLength() + 4;
    putLe(out, q.signedLength(), out.length - sigStart, 4);
    if (q.version() >= 4) {
      int innerStart = sigStart + 128 + 6;
      putLe(out, sigStart + 128 + 2, out.length - innerStart, 4);
    }
    return out;
  }

  private static void putLe(byte[] out, int at, long value, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
  }
}
