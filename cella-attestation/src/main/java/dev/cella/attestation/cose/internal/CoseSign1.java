package dev.cella.attestation.cose.internal;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The COSE_Sign1 structure of cella-cose (RFC 9052 §4.2, tag 18): {@code [protected bstr, {},
 * payload bstr, signature bstr]} with the protected header {@code {1: -35, 33: [leaf, root]}}.
 * Encoding is deterministic; decoding is strict and refuses anything else with a {@link
 * Reason#MALFORMED} message naming what and the byte offset.
 *
 * <p>Thread-safe (stateless).
 */
public final class CoseSign1 {
  /** CBOR tag of COSE_Sign1. */
  public static final int TAG = 18;
  /** Largest evidence accepted: a few certificates and claims fit many times over. */
  public static final int MAX_LENGTH = 64 * 1024;

  static final int LABEL_ALG = 1;
  static final int LABEL_CRIT = 2;
  static final int LABEL_X5CHAIN = 33;
  /** Opening bytes of every cella-cose protected header: map(2), 1: -35, 33: … */
  private static final byte[] PROTECTED_PREFIX = {(byte) 0xA2, 0x01, 0x38, 0x22, 0x18, 0x21};
  private static final CBOREncodeOptions DETERMINISTIC = CBOREncodeOptions.DefaultCtap2Canonical;
  private static final CBOREncodeOptions STRICT = new CBOREncodeOptions("allowduplicatekeys=false");

  private CoseSign1() {}

  /** What a well-formed cella-cose COSE_Sign1 holds; signature not yet checked. */
  public record Decoded(
      byte[] protectedHeader, List<byte[]> x5chain, byte[] payload, CBORObject payloadMap,
      int payloadOffset, byte[] signature) {

    /** The bytes the signature covers (Sig_structure, RFC 9052 §4.4). */
    public byte[] toBeSigned() {
      return sigStructure(protectedHeader, payload);
    }
  }

  /** Signs {@code payload} (a deterministic CBOR map) as COSE_Sign1 carrying {@code chain}. */
  public static byte[] sign(byte[] payload, List<X509Certificate> chain, PrivateKey key)
      throws GeneralSecurityException {
    CBORObject x5chain = CBORObject.NewArray();
    for (X509Certificate certificate : chain) {
      x5chain.Add(CBORObject.FromObject(encoded(certificate)));
    }
    CBORObject header = CBORObject.NewOrderedMap();
    header.Add(LABEL_ALG, Es384.COSE_ALG);
    header.Add(LABEL_X5CHAIN, x5chain);
    byte[] protectedHeader = header.EncodeToBytes(DETERMINISTIC);
    byte[] signature = Es384.sign(key, sigStructure(protectedHeader, payload));
    CBORObject message = CBORObject.NewArray()
        .Add(CBORObject.FromObject(protectedHeader))
        .Add(CBORObject.NewMap())
        .Add(CBORObject.FromObject(payload))
        .Add(CBORObject.FromObject(signature));
    byte[] body = message.EncodeToBytes(DETERMINISTIC);
    byte[] result = new byte[body.length + 1];
    result[0] = (byte) (0xC0 | TAG); // tag 18 in a one-byte head
    System.arraycopy(body, 0, result, 1, body.length);
    return result;
  }

  /** Sig_structure = ["Signature1", protected, external_aad = h'', payload], deterministic. */
  static byte[] sigStructure(byte[] protectedHeader, byte[] payload) {
    return CBORObject.NewArray()
        .Add(CBORObject.FromObject("Signature1"))
        .Add(CBORObject.FromObject(protectedHeader))
        .Add(CBORObject.FromObject(new byte[0]))
        .Add(CBORObject.FromObject(payload))
        .EncodeToBytes(DETERMINISTIC);
  }

  /** Cheap recognition: tag 18, an array of 4, a protected header that starts like cella-cose's. */
  public static boolean looksLike(byte[] evidence) {
    if (evidence == null || evidence.length < 3
        || (evidence[0] & 0xFF) != (0xC0 | TAG) || (evidence[1] & 0xFF) != 0x84) {
      return false;
    }
    int initial = evidence[2] & 0xFF;
    if (initial >>> 5 != 2 || (initial & 0x1F) > 27) {
      return false;
    }
    int info = initial & 0x1F;
    int start = 3 + (info < 24 ? 0 : 1 << (info - 24));
    return evidence.length >= start + PROTECTED_PREFIX.length
        && Arrays.equals(evidence, start, start + PROTECTED_PREFIX.length,
            PROTECTED_PREFIX, 0, PROTECTED_PREFIX.length);
  }

  /** Decodes strictly; the signature is not checked here. */
  public static Decoded decode(byte[] evidence) throws AttestationException {
    if (evidence == null || evidence.length == 0) {
      throw malformed("empty evidence");
    }
    if (evidence.length > MAX_LENGTH) {
      throw malformed("evidence of " + evidence.length + " bytes exceeds " + MAX_LENGTH);
    }
    int end = evidence.length;
    CborScanner.Head tag = CborScanner.head(evidence, 0, end, "COSE_Sign1");
    if (tag.major() != 6) {
      throw malformed("expected COSE_Sign1 tag 18 at offset 0 (untagged or other item)");
    }
    if (tag.argument() != TAG) {
      throw malformed("tag " + Long.toUnsignedString(tag.argument())
          + " at offset 0 is not COSE_Sign1 (18)");
    }
    CborScanner.checkItem(evidence, tag.contentOffset(), end, "COSE_Sign1");

    CborScanner.Head array = CborScanner.head(evidence, tag.contentOffset(), end, "COSE_Sign1");
    if (array.major() != 4 || array.argument() != 4) {
      throw malformed("COSE_Sign1 at offset " + tag.contentOffset() + " must be an array of 4");
    }
    int[] protectedRange = byteString(evidence, array.contentOffset(), "protected header");
    int unprotectedOffset = protectedRange[1];
    CborScanner.Head unprotected = CborScanner.head(evidence, unprotectedOffset, end, "COSE_Sign1");
    if (unprotected.major() != 5 || unprotected.argument() != 0) {
      throw malformed("unprotected header at offset " + unprotectedOffset
          + " must be an empty map (cella-cose puts every header under the signature)");
    }
    int[] payloadRange = byteString(evidence, unprotected.contentOffset(), "payload");
    int[] signatureRange = byteString(evidence, payloadRange[1], "signature");
    if (signatureRange[1] - signatureRange[0] != Es384.SIGNATURE_LENGTH) {
      throw malformed("signature at offset " + signatureRange[0] + " has "
          + (signatureRange[1] - signatureRange[0]) + " bytes; ES384 needs 96 (r || s)");
    }

    byte[] protectedHeader = Arrays.copyOfRange(evidence, protectedRange[0], protectedRange[1]);
    List<byte[]> x5chain =
        protectedHeader(evidence, protectedRange[0], protectedRange[1], protectedHeader);
    CborScanner.checkItem(evidence, payloadRange[0], payloadRange[1], "payload");
    byte[] payload = Arrays.copyOfRange(evidence, payloadRange[0], payloadRange[1]);
    CBORObject payloadMap = CBORObject.DecodeFromBytes(payload, STRICT);
    return new Decoded(protectedHeader, x5chain, payload, payloadMap, payloadRange[0],
        Arrays.copyOfRange(evidence, signatureRange[0], signatureRange[1]));
  }

  private static List<byte[]> protectedHeader(byte[] evidence, int start, int end, byte[] bytes)
      throws AttestationException {
    CborScanner.checkItem(evidence, start, end, "protected header");
    CBORObject header = CBORObject.DecodeFromBytes(bytes, STRICT);
    String at = " (protected header at offset " + start + ")";
    if (header.getType() != CBORType.Map) {
      throw malformed("protected header must be a map" + at);
    }
    CBORObject alg = null;
    CBORObject x5chain = null;
    for (Map.Entry<CBORObject, CBORObject> entry : header.getEntries()) {
      CBORObject label = entry.getKey();
      if (label.getType() != CBORType.Integer || !label.CanValueFitInInt32()) {
        throw malformed("unknown protected header label " + label + at);
      }
      switch (label.AsInt32Value()) {
        case LABEL_ALG -> alg = entry.getValue();
        case LABEL_X5CHAIN -> x5chain = entry.getValue();
        case LABEL_CRIT -> throw malformed(
            "critical header parameters (label 2) are not supported" + at);
        default -> throw malformed("unknown protected header label " + label + at);
      }
    }
    if (alg == null) {
      throw malformed("protected header lacks alg (label 1)" + at);
    }
    if (alg.getType() != CBORType.Integer || !alg.CanValueFitInInt32()
        || alg.AsInt32Value() != Es384.COSE_ALG) {
      throw malformed("alg " + alg + " is not ES384 (-35)" + at);
    }
    if (x5chain == null) {
      throw malformed("protected header lacks x5chain (label 33)" + at);
    }
    if (x5chain.getType() != CBORType.Array || x5chain.size() != 2) {
      throw malformed("x5chain must be an array of 2 certificates [leaf, root]" + at);
    }
    List<byte[]> chain = new ArrayList<>(2);
    for (int i = 0; i < 2; i++) {
      CBORObject certificate = x5chain.get(i);
      if (certificate.getType() != CBORType.ByteString) {
        throw malformed("x5chain[" + i + "] must be a byte string" + at);
      }
      chain.add(certificate.GetByteString());
    }
    return List.copyOf(chain);
  }

  /** {@code [contentStart, contentEnd)} of the byte string at {@code offset}. */
  private static int[] byteString(byte[] evidence, int offset, String what)
      throws AttestationException {
    CborScanner.Head head = CborScanner.head(evidence, offset, evidence.length, "COSE_Sign1");
    if (head.major() != 2) {
      throw malformed(what + " at offset " + offset + " must be a byte string");
    }
    return new int[] {head.contentOffset(), head.contentOffset() + (int) head.argument()};
  }

  private static byte[] encoded(X509Certificate certificate) throws CertificateEncodingException {
    return certificate.getEncoded();
  }

  static AttestationException malformed(String what) {
    return new AttestationException(Reason.MALFORMED, "cella-cose: " + what);
  }
}
