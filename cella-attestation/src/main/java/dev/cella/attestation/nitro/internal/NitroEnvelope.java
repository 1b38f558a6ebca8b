package dev.cella.attestation.nitro.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the COSE_Sign1 of a Nitro attestation document lies in the bytes given: raw (tagged or
 * not), after a 4-byte frame (as dstack stores it; bytes after the COSE item belong to the
 * frame and are ignored), or as base64 text of the raw form.
 *
 * <p>Immutable by convention (the data array is not copied).
 *
 * @param data the bytes that hold the COSE_Sign1 (decoded, for base64 text)
 * @param start where the COSE_Sign1 starts
 * @param framed whether it sits in a frame, so bytes after it are not part of it
 * @param description how the input was read, for messages
 */
public record NitroEnvelope(byte[] data, int start, boolean framed, String description) {
  /** The start of every Nitro COSE_Sign1: array(4), bstr(4) holding {1: -35}. */
  private static final byte[] PREFIX = {(byte) 0x84, 0x44, (byte) 0xA1, 0x01, 0x38, 0x22};
  static final int FRAME_LENGTH = 4;

  /** The envelope of {@code evidence}, if it has the shape of a Nitro document. */
  public static Optional<NitroEnvelope> find(byte[] evidence) {
    if (startsCose(evidence, 0)) {
      return Optional.of(new NitroEnvelope(evidence, 0, false, "nitro document"));
    }
    if (startsCose(evidence, FRAME_LENGTH)) {
      return Optional.of(new NitroEnvelope(evidence, FRAME_LENGTH, true,
          "nitro document (framed, COSE_Sign1 at offset 4)"));
    }
    Optional<byte[]> decoded = base64(evidence);
    if (decoded.isPresent() && startsCose(decoded.get(), 0)) {
      return Optional.of(new NitroEnvelope(decoded.get(), 0, false,
          "nitro document (base64-decoded)"));
    }
    return Optional.empty();
  }

  /** Like {@link #find} but fails with a precise reason. */
  public static NitroEnvelope require(byte[] evidence) throws AttestationException {
    return find(evidence).orElseThrow(() -> new AttestationException(Reason.MALFORMED,
        "nitro document: malformed at offset 0: no COSE_Sign1 with the ES384 protected header "
            + "{1: -35} at offset 0 or 4, and not base64 of one"));
  }

  private static boolean startsCose(byte[] data, int at) {
    int p = at;
    if (data.length > p && (data[p] & 0xFF) == 0xD2) {
      p++;
    }
    if (data.length - p < PREFIX.length) {
      return false;
    }
    for (int i = 0; i < PREFIX.length; i++) {
      if (data[p + i] != PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  private static Optional<byte[]> base64(byte[] text) {
    if (text.length < 8 || text.length > 1 << 22) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder(text.length);
    for (byte b : text) {
      char c = (char) (b & 0xFF);
      if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
        continue;
      }
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=';
      if (!ok) {
        return Optional.empty();
      }
      sb.append(c);
    }
    try {
      return Optional.of(Base64.getDecoder().decode(sb.toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
