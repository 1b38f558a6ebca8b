package dev.cella.protocol.codec;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus;

/**
 * A typed-call message that is malformed, exceeds the {@link CodecLimits}, or holds a value that
 * cannot be encoded (a {@code null} for a primitive, a {@code null} collection element, a string
 * with an unpaired surrogate). Always code {@link EnclaveStatus.Code#INVALID_ARGUMENT}.
 *
 * <p>It is the only exception the decoder throws for bad input, whatever the bytes. Its message
 * names types, offsets and lengths, never the values of the call, so that it may cross the
 * boundary as an error of that call. A local cause (for example the exception a record's
 * constructor threw) is kept for debugging on this side and never encoded.
 *
 * <p>Example: {@code catch (CodecException e) { return codec.encodeFailure(e); }}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CodecException extends EnclaveException {
  private static final long serialVersionUID = 1L;

  public CodecException(String message) {
    super(EnclaveStatus.Code.INVALID_ARGUMENT, message);
  }

  public CodecException(String message, Throwable cause) {
    super(EnclaveStatus.Code.INVALID_ARGUMENT, message, cause);
  }
}
