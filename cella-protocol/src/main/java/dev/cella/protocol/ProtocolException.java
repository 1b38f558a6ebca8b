package dev.cella.protocol;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;

/**
 * A frame or message from the other side of the boundary is malformed: wrong length, unknown
 * type, trailing bytes, invalid text. Always {@code INVALID_ARGUMENT}; the call that carried it
 * fails, the enclave stays usable.
 */
public final class ProtocolException extends EnclaveException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(Code.INVALID_ARGUMENT, message);
  }
}
