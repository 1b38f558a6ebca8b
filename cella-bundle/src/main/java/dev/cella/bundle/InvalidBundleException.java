package dev.cella.bundle;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A bundle was refused: it is not a well-formed {@code .cella} archive, its manifest is invalid, or
 * its signature is missing or does not verify. The {@link Reason} is stable and meant for programs;
 * the message is meant for the user and says what to do.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try {
 *   Bundle bundle = Bundle.open(path);
 * } catch (InvalidBundleException e) {
 *   if (e.reason() == InvalidBundleException.Reason.UNSIGNED) { ... }
 * }
 * }</pre>
 *
 * <p>Instances are immutable once thrown.
 */
public final class InvalidBundleException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why a bundle was refused. Names never change; new reasons may be added. */
  public enum Reason {
    /** The bytes are not a ZIP archive at all. */
    NOT_A_BUNDLE,
    /** The ZIP structure is broken or inconsistent (headers disagree, CRC mismatch, gaps). */
    CORRUPT_ARCHIVE,
    /** The bundle, or one of its entries, is larger than the reader accepts. */
    TOO_LARGE,
    /** An entry that the bundle layout does not allow (wrong path, directory, unsafe name). */
    UNEXPECTED_ENTRY,
    /** Two entries have the same name. */
    DUPLICATE_ENTRY,
    /** A required entry ({@code cella/manifest.json} or at least one {@code lib/*.jar}) is absent. */
    MISSING_ENTRY,
    /** The manifest or signature file declares a format version this reader does not know. */
    UNSUPPORTED_FORMAT_VERSION,
    /** The manifest is not valid: bad JSON, unknown, missing, mistyped or out-of-range fields. */
    INVALID_MANIFEST,
    /** The bundle has no {@code cella/signature}. */
    UNSIGNED,
    /** {@code cella/signature} is malformed: bad JSON, unknown algorithm, unusable public key. */
    MALFORMED_SIGNATURE,
    /** The signature does not verify over the bundle's contents with the key it names. */
    BAD_SIGNATURE,
    /**
     * The jars a runtime loads are not the bundle's: another set of names, a changed jar, or a
     * measurement the bundle's signature does not cover ({@link LoadedBundle}).
     */
    CLASS_PATH_MISMATCH
  }

  private final Reason reason;

  /** A refusal for {@code reason} with a message the user can act on. */
  public InvalidBundleException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** A refusal for {@code reason} with a message the user can act on, and its cause. */
  public InvalidBundleException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The stable reason for the refusal. */
  public Reason reason() {
    return reason;
  }
}
