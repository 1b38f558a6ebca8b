package dev.cella.protocol.transport;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;

/**
 * The shared-memory channel is broken: the other side wrote something impossible into it (a
 * length beyond the ring, an unknown record kind, a position that moved backwards), went away,
 * or the channel was closed. Always {@code UNAVAILABLE}: nothing more crosses this channel.
 */
public final class TransportException extends EnclaveException {
  private static final long serialVersionUID = 1L;

  public TransportException(String message) {
    super(Code.UNAVAILABLE, message);
  }
}
