package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import java.util.Objects;

/**
 * Serves the frames an enclave sends to its host: platform requests (evidence) and, through the
 * registered host services, typed host calls. Every frame is decoded defensively — a compromised
 * enclave is as untrusted to the host as the host is to the enclave — and every failure becomes an
 * error frame: this handler never throws into the backend.
 *
 * <p>Thread-safe.
 */
final class HostCalls implements dev.cella.spi.HostCallHandler {
  private final String enclaveName;
  private final EnclaveIdentity identity;
  private final Platforms platforms;

  HostCalls(String enclaveName, EnclaveIdentity identity, Platforms platforms) {
    this.enclaveName = Objects.requireNonNull(enclaveName, "enclaveName");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.platforms = Objects.requireNonNull(platforms, "platforms");
  }

  @Override
  public byte[] handle(byte[] frame) {
    try {
      FrameType type = Frames.type(frame);
      return switch (type) {
        case PLATFORM_EVIDENCE -> Frames.ok(platforms.evidence(
            identity, EvidenceRequest.decode(Frames.payload(frame))));
        default -> throw new EnclaveException(Code.INVALID_ARGUMENT,
            "the host of enclave '" + enclaveName + "' does not serve " + type + " frames");
      };
    } catch (EnclaveException e) {
      return Frames.error(e);
    } catch (RuntimeException e) {
      return Frames.error(Code.INTERNAL, "the host failed: " + e.getClass().getName());
    }
  }
}
