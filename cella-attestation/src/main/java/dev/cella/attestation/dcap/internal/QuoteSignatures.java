package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Digests;
import dev.cella.attestation.hardware.internal.EcKeys;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The quote's own signatures: the attestation key's over header and body, the QE report's
 * binding of that key (REPORTDATA = SHA-256(attestation key || QE authentication data), zero
 * padded), and the PCK's over the QE report.
 */
final class QuoteSignatures {
  static final String ECDSA_P256 = "SHA256withECDSAinP1363Format";

  private QuoteSignatures() {}

  /** Checks the attestation key's signature and its binding in the QE report. */
  static void checkQuote(Quote quote) throws AttestationException {
    PublicKey key = EcKeys.p256(quote.attestationKey()).orElseThrow(() ->
        new AttestationException(Reason.MALFORMED, "dcap quote: the attestation key is not a "
            + "point of P-256"));
    if (!SignatureChecks.raw(ECDSA_P256, key, quote.data(), 0, quote.signedLength(),
        quote.signature(), false)) {
      throw new AttestationException(Reason.BAD_SIGNATURE, "dcap quote: the quote signature "
          + "over bytes 0-" + (quote.signedLength() - 1) + " (header and body) does not verify "
          + "under the attestation key");
    }
    byte[] expected = Digests.sha256(concat(quote.attestationKey(), quote.qeAuthData()));
    byte[] reportData = quote.qeReport().reportData();
    boolean bound = MessageDigest.isEqual(Arrays.copyOf(reportData, 32), expected);
    for (int i = 32; i < 64 && bound; i++) {
      bound = reportData[i] == 0;
    }
    if (!bound) {
      throw new AttestationException(Reason.BINDING_MISMATCH, "dcap quote: the QE report's "
          + "REPORTDATA " + HexFormat.of().formatHex(reportData) + " is not SHA-256(attestation "
          + "key || QE authentication data) = " + HexFormat.of().formatHex(expected)
          + " followed by zeros: the attestation key is not the one the QE certified");
    }
  }

  /** Whether the QE report is signed by {@code pckKey} (remembered by content). */
  static boolean qeReportSignedBy(Quote quote, PublicKey pckKey) {
    byte[] raw = quote.qeReport().raw();
    return SignatureChecks.raw(ECDSA_P256, pckKey, raw, 0, raw.length, quote.qeReportSignature(),
        true);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
