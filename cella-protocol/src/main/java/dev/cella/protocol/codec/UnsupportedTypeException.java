package dev.cella.protocol.codec;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus;

/**
 * An interface that cannot be used for typed calls: one of its methods has a parameter, result
 * or declared exception type the codec does not support. Thrown once, by {@link
 * ServiceCodec#of}, never during a call. Code {@link EnclaveStatus.Code#INVALID_ARGUMENT}: the
 * interface itself is wrong, whatever the state of the enclave, and no retry can succeed.
 *
 * <p>The message names the interface, the method, the offending type, why it is refused and where
 * it sits, e.g. {@code SignerService.sign(Object): type java.lang.Object cannot cross the enclave
 * boundary: not a supported type (at parameter 1; supported: ...)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class UnsupportedTypeException extends EnclaveException {
  private static final long serialVersionUID = 1L;

  public UnsupportedTypeException(String message) {
    super(EnclaveStatus.Code.INVALID_ARGUMENT, message);
  }
}
