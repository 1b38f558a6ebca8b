package dev.cella.attestation.nitro.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.internal.CborHeads;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A parsed COSE_Sign1 (RFC 9052) with the ES384 algorithm, the only one Nitro uses. The signed
 * bytes are the exact received protected header and payload. Immutable.
 *
 * @param protectedHeader the protected header bytes as received
 * @param payload the payload bytes as received
 * @param payloadOffset where the payload starts in the envelope's data (for messages)
 * @param signature the 96-byte {@code r || s}
 * @param end the offset just after the COSE_Sign1
 */
public record CoseSign1(byte[] protectedHeader, byte[] payload, int payloadOffset,
    byte[] signature, int end) {
  private static final int ES384 = -35;
  private static final int COSE_SIGN1_TAG = 18;

  /** Parses the COSE_Sign1 of {@code envelope}. */
  public static CoseSign1 parse(NitroEnvelope envelope) throws AttestationException {
    byte[] data = envelope.data();
    CborReader r = new CborReader(envelope.description(), data, envelope.start(), data.length);
    if (r.peekMajor() == CborReader.TAG) {
      int at = r.position();
      if (r.tag() != COSE_SIGN1_TAG) {
        throw r.malformed(at, "tag is not COSE_Sign1 (18)");
      }
    }
    int at = r.position();
    if (r.arrayHeader() != 4) {
      throw r.malformed(at, "COSE_Sign1 must be an array of 4 items");
    }
    CborReader.Span prot = r.bytes();
    checkProtected(envelope, data, prot);
    at = r.position();
    // The unprotected header is not authenticated and nothing in it is used; some producers
    // write null instead of an empty map.
    if (!r.readNullIf()) {
      if (r.peekMajor() != CborReader.MAP) {
        throw r.malformed(at, "unprotected header must be a map");
      }
      r.skip();
    }
    at = r.position();
    if (r.readNullIf()) {
      throw r.malformed(at, "detached payloads are not Nitro documents");
    }
    CborReader.Span payload = r.bytes();
    at = r.position();
    CborReader.Span sig = r.bytes();
    if (sig.length() != 96) {
      throw r.malformed(at, "ES384 signature must be 96 bytes, found " + sig.length());
    }
    if (!envelope.framed() && !r.atEnd()) {
      throw r.malformed(r.position(), (data.length - r.position())
          + " bytes follow the COSE_Sign1");
    }
    return new CoseSign1(prot.copy(data), payload.copy(data), payload.offset(), sig.copy(data),
        r.position());
  }

  private static void checkProtected(NitroEnvelope envelope, byte[] data, CborReader.Span span)
      throws AttestationException {
    CborReader h = new CborReader(envelope.description() + " protected header", data,
        span.offset(), span.offset() + span.length());
    int entries = h.mapHeader();
    Long alg = null;
    for (int i = 0; h.more(entries, i); i++) {
      int at = h.position();
      long label = h.readInt();
      if (label != 1) {
        throw h.malformed(at, "unexpected protected header label " + label
            + " (Nitro documents carry only the algorithm)");
      }
      if (alg != null) {
        throw h.malformed(at, "duplicate algorithm label");
      }
      alg = h.readInt();
    }
    if (!h.atEnd()) {
      throw h.malformed(h.position(), "bytes after the protected header map");
    }
    if (alg == null || alg != ES384) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT,
          envelope.description() + ": COSE algorithm " + alg + " is not ES384 (-35)");
    }
  }

  /** The RFC 9052 Sig_structure ["Signature1", protected, h'', payload] that was signed. */
  public byte[] toBeSigned() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
    out.write(0x84);
    byte[] context = "Signature1".getBytes(StandardCharsets.US_ASCII);
    CborHeads.write(out, CborHeads.TEXT, context.length);
    out.writeBytes(context);
    CborHeads.write(out, CborHeads.BYTES, protectedHeader.length);
    out.writeBytes(protectedHeader);
    CborHeads.write(out, CborHeads.BYTES, 0);
    CborHeads.write(out, CborHeads.BYTES, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

}
