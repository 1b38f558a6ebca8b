package dev.cella;

import java.util.Objects;

/**
 * The outcome of an operation on an enclave: a stable {@link Code} and a message a user can act
 * on. Codes follow gRPC's status codes so that operators read them the same way everywhere.
 *
 * <p>Immutable and thread-safe.
 *
 * @param code the stable code
 * @param message a human-readable explanation, never secret data
 */
public record EnclaveStatus(Code code, String message) {

  /** Stable status codes; their names and numbers never change. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_NUMBER = values();
    private final int number;

    Code(int number) {
      this.number = number;
    }

    /** The code's stable number, as used on the wire. */
    public int number() {
      return number;
    }

    /** The code with the given number, or {@link #UNKNOWN} for a number no code has. */
    public static Code forNumber(int number) {
      return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNKNOWN;
    }
  }

  public EnclaveStatus {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return message.isEmpty() ? code.name() : code + ": " + message;
  }
}
