package dev.cella.protocol;

import dev.cella.Bytes;
import java.util.Objects;

/**
 * The payload of {@link FrameType#PLATFORM_EVIDENCE}: the enclave asks its platform for evidence
 * binding a nonce and report data (at most 64 bytes each). The platform answers with the evidence
 * bytes; it signs the identity it measured, never one the enclave claims.
 *
 * <p>Immutable and thread-safe.
 */
public record EvidenceRequest(Bytes nonce, Bytes reportData) {
  public static final int MAX_BYTES = 64;

  public EvidenceRequest {
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(reportData, "reportData");
    if (nonce.length() > MAX_BYTES || reportData.length() > MAX_BYTES) {
      throw new IllegalArgumentException("nonce and report data are at most 64 bytes each");
    }
  }

  public byte[] encode() {
    return new WireWriter(140)
        .bytes(nonce.toByteArray()).bytes(reportData.toByteArray()).toByteArray();
  }

  public static EvidenceRequest decode(byte[] payload) {
    WireReader in = new WireReader(payload);
    Bytes nonce = Bytes.of(in.bytes(MAX_BYTES, "nonce"));
    Bytes reportData = Bytes.of(in.bytes(MAX_BYTES, "report data"));
    in.expectEnd("evidence request");
    return new EvidenceRequest(nonce, reportData);
  }
}
