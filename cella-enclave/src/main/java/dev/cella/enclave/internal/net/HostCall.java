package dev.cella.enclave.internal.net;

import dev.cella.protocol.FrameType;

/**
 * The enclave's way out to the host as the relay needs it: sends one request frame and returns
 * the payload of the host's OK answer, throwing the host's error as {@code EnclaveException}.
 * For example {@code hostLink::call} in the runtime.
 *
 * <p>Implementations are thread-safe.
 */
@FunctionalInterface
public interface HostCall {
  byte[] call(FrameType type, byte[] payload);
}
