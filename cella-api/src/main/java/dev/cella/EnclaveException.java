package dev.cella;

/**
 * An operational failure of an enclave operation, with a stable {@link EnclaveStatus.Code}.
 *
 * <p>Security decisions (attestation, unsealing) do not use this type; they throw checked {@link
 * java.security.GeneralSecurityException} subclasses instead.
 *
 * <p>Example: {@code throw new EnclaveException(Code.FAILED_PRECONDITION, "enclave is closed")}.
 */
public class EnclaveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final EnclaveStatus.Code code;

  public EnclaveException(EnclaveStatus.Code code, String message) {
    this(code, message, null);
  }

  public EnclaveException(EnclaveStatus.Code code, String message, Throwable cause) {
    super(message, cause);
    if (code == null || code == EnclaveStatus.Code.OK) {
      throw new IllegalArgumentException("an EnclaveException needs a failure code, not " + code);
    }
    this.code = code;
  }

  /** The stable code of this failure. */
  public EnclaveStatus.Code code() {
    return code;
  }

  /** This failure as a status value. */
  public EnclaveStatus status() {
    String message = getMessage();
    return new EnclaveStatus(code, message == null ? "" : message);
  }

  @Override
  public String toString() {
    return "EnclaveException[" + code + "]: " + getMessage();
  }
}
