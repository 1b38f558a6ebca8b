package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import java.util.function.UnaryOperator;

/**
 * The enclave's way out to the host. What comes back is untrusted input: a response of the wrong
 * kind or a malformed frame is refused here, before enclave code sees it.
 *
 * <p>Thread-safe.
 */
final class HostLink {
  private final UnaryOperator<byte[]> toHost;

  HostLink(UnaryOperator<byte[]> toHost) {
    this.toHost = toHost;
  }

  /** Sends a request frame of {@code type} and returns the payload of the host's OK answer. */
  byte[] call(FrameType type, byte[] payload) {
    return callFrame(Frames.frame(type, payload));
  }

  /** Sends a ready-made request frame and returns the payload of the host's OK answer. */
  byte[] callFrame(byte[] frame) {
    return Frames.result(exchange(frame));
  }

  /** Sends a ready-made request frame and returns the host's response frame, unchecked. */
  byte[] exchange(byte[] frame) {
    byte[] response;
    try {
      response = toHost.apply(frame);
    } catch (RuntimeException e) {
      throw new EnclaveException(Code.UNAVAILABLE, "the host did not answer: " + e.getClass().getName());
    }
    if (response == null) {
      throw new EnclaveException(Code.UNAVAILABLE, "the host gave no answer");
    }
    return response;
  }
}
