package dev.cella.attestation.nitro.internal;

import dev.cella.Bytes;
import dev.cella.attestation.AttestationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The claims of a Nitro attestation document (the COSE payload), as parsed, not yet verified.
 * Immutable.
 *
 * @param moduleId the enclave's module id
 * @param digest the PCR digest algorithm (always {@code SHA384})
 * @param timestamp milliseconds since the epoch, as written (not yet checked)
 * @param pcrs PCR index to value
 * @param certificate the signing (leaf) certificate, DER
 * @param cabundle the issuing chain, DER, root first
 * @param publicKey the optional public key
 * @param userData the optional user data
 * @param nonce the optional nonce
 */
public record NitroPayload(String moduleId, String digest, long timestamp,
    Map<Integer, Bytes> pcrs, byte[] certificate, List<byte[]> cabundle,
    Optional<Bytes> publicKey, Optional<Bytes> userData, Optional<Bytes> nonce) {
  private static final int MAX_PCRS = 32;
  private static final int PCR_LENGTH = 48;
  private static final int MAX_CABUNDLE = 8;

  /** Parses the payload of {@code cose} (offsets in messages are those of the envelope). */
  public static NitroPayload parse(NitroEnvelope envelope, CoseSign1 cose)
      throws AttestationException {
    byte[] data = envelope.data();
    int start = cose.payloadOffset();
    CborReader r = new CborReader(envelope.description() + " payload", data, start,
        start + cose.payload().length);
    int at = r.position();
    int entries = r.mapHeader();
    Set<String> seen = new HashSet<>();
    String moduleId = null;
    String digest = null;
    Long timestamp = null;
    Map<Integer, Bytes> pcrs = null;
    byte[] certificate = null;
    List<byte[]> cabundle = null;
    Optional<Bytes> publicKey = Optional.empty();
    Optional<Bytes> userData = Optional.empty();
    Optional<Bytes> nonce = Optional.empty();
    for (int i = 0; r.more(entries, i); i++) {
      int keyAt = r.position();
      String key = r.text();
      if (!seen.add(key)) {
        throw r.malformed(keyAt, "duplicate key '" + key + "'");
      }
      switch (key) {
        case "module_id" -> moduleId = r.text();
        case "digest" -> digest = r.text();
        case "timestamp" -> timestamp = r.readUint();
        case "pcrs" -> pcrs = pcrs(r);
        case "certificate" -> certificate = r.bytes().copy(data);
        case "cabundle" -> cabundle = cabundle(r, data);
        case "public_key" -> publicKey = optionalBytes(r, data);
        case "user_data" -> userData = optionalBytes(r, data);
        case "nonce" -> nonce = optionalBytes(r, data);
        default -> r.skip();
      }
    }
    if (!r.atEnd()) {
      throw r.malformed(r.position(), "bytes after the payload map");
    }
    require(r, at, moduleId, "module_id");
    require(r, at, digest, "digest");
    require(r, at, timestamp, "timestamp");
    require(r, at, pcrs, "pcrs");
    require(r, at, certificate, "certificate");
    require(r, at, cabundle, "cabundle");
    if (!pcrs.containsKey(0)) {
      throw r.malformed(at, "pcrs has no PCR0");
    }
    if (moduleId.isEmpty()) {
      throw r.malformed(at, "module_id is empty");
    }
    if (!digest.equals("SHA384")) {
      throw r.malformed(at, "digest is '" + digest + "', Nitro documents use SHA384");
    }
    return new NitroPayload(moduleId, digest, timestamp, pcrs, certificate, cabundle, publicKey,
        userData, nonce);
  }

  private static Map<Integer, Bytes> pcrs(CborReader r) throws AttestationException {
    int at = r.position();
    int n = r.mapHeader();
    Map<Integer, Bytes> out = new TreeMap<>();
    for (int i = 0; r.more(n, i); i++) {
      if (i >= MAX_PCRS) {
        throw r.malformed(r.position(), "pcrs holds more than " + MAX_PCRS + " entries");
      }
      int keyAt = r.position();
      long index = r.readUint();
      if (index >= MAX_PCRS) {
        throw r.malformed(keyAt, "PCR index " + index + " is not 0 to 31");
      }
      int valueAt = r.position();
      CborReader.Span span = r.bytes();
      if (span.length() != PCR_LENGTH) {
        throw r.malformed(valueAt, "PCR" + index + " has " + span.length()
            + " bytes, SHA384 PCRs have " + PCR_LENGTH);
      }
      if (out.containsKey((int) index)) {
        throw r.malformed(keyAt, "duplicate PCR index " + index);
      }
      out.put((int) index, Bytes.of(r.data(), span.offset(), span.length()));
    }
    if (out.isEmpty()) {
      throw r.malformed(at, "pcrs is empty");
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<byte[]> cabundle(CborReader r, byte[] data) throws AttestationException {
    int at = r.position();
    int n = r.arrayHeader();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; r.more(n, i); i++) {
      if (i >= MAX_CABUNDLE) {
        throw r.malformed(at, "cabundle has more than " + MAX_CABUNDLE + " certificates");
      }
      out.add(r.bytes().copy(data));
    }
    return List.copyOf(out);
  }

  private static Optional<Bytes> optionalBytes(CborReader r, byte[] data)
      throws AttestationException {
    if (r.readNullIf()) {
      return Optional.empty();
    }
    CborReader.Span span = r.bytes();
    return Optional.of(Bytes.of(data, span.offset(), span.length()));
  }

  private static void require(CborReader r, int at, Object value, String key)
      throws AttestationException {
    if (value == null) {
      throw r.malformed(at, "the payload has no '" + key + "'");
    }
  }
}
