package dev.cella.enclave.sealing;

import java.util.Objects;

/**
 * A sealed blob was refused: it is not something this enclave sealed, or it was changed. No
 * plaintext is released when this is thrown. The {@link Reason} is stable and says what was
 * wrong; the message explains it in words.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try {
 *   byte[] secret = sealer.unseal(blob, ad);
 * } catch (UnsealException e) {
 *   if (e.reason() == UnsealException.Reason.HIGHER_SVN) { ... sealed by a newer version ... }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class UnsealException extends java.security.GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why a blob was refused. Names never change. */
  public enum Reason {
    /** Not a Cella sealed blob, or its header is inconsistent (bad magic, unknown policy, trailing bytes). */
    MALFORMED,
    /** Shorter than its header or than the length its header declares. */
    TRUNCATED,
    /** A blob format version this runtime does not know. */
    UNKNOWN_VERSION,
    /** Sealed under the other {@link SealPolicy} than the sealer's. */
    WRONG_POLICY,
    /** Sealed at an SVN above this enclave's: an older version cannot read a newer one's data. */
    HIGHER_SVN,
    /** Sealed for another identity (measurement, or signer, product id and debug flag). */
    WRONG_IDENTITY,
    /** The authentication tag does not match: the blob, its header or the associated data changed. */
    TAMPERED
  }

  private final Reason reason;

  /** A refusal for {@code reason}; the message should say what was seen and expected. */
  public UnsealException(Reason reason, String message) {
    super("cannot unseal (" + Objects.requireNonNull(reason, "reason") + "): " + message);
    this.reason = reason;
  }

  /** Why the blob was refused. */
  public Reason reason() {
    return reason;
  }
}
