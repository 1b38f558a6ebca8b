package dev.cella.enclave.sealing;

import java.io.IOException;
import java.util.Objects;

/**
 * A sealed file system found that the host's storage is not what the enclave committed: a file
 * or the manifest was modified, truncated, swapped, rolled back or withheld. Thrown by the
 * {@code java.nio.file} operations of a sealed file system (it is an {@link IOException}), and by
 * {@link SealedFileSystems#open} for the manifest. No unverified byte is returned.
 *
 * <pre>{@code
 * try {
 *   byte[] key = Files.readAllBytes(fs.getPath("/keys/signing"));
 * } catch (SealedStorageException e) {
 *   log.log(WARNING, "sealed storage refused: {0}", e.reason());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SealedStorageException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What the check found. Names never change. */
  public enum Reason {
    /** The ciphertext was changed (its tag does not verify). */
    MODIFIED,
    /** The object is shorter than it was sealed. */
    TRUNCATED,
    /** The object holds another file's content, another store's, or a version never committed. */
    SWAPPED,
    /** An older version than the one committed: an old manifest, or an old version of a file. */
    ROLLED_BACK,
    /** The host no longer has (or withholds) an object the store needs. */
    MISSING,
    /** Sealed by another identity or policy, by a newer SVN, or in an unknown format. */
    UNREADABLE,
    /** The counter is behind the manifest (reset or replaced) or moved without this store. */
    COUNTER_MISMATCH
  }

  private final Reason reason;
  private final String pathOrNull;

  /**
   * A refusal for {@code reason} concerning the file at {@code pathOrNull}, or the manifest when
   * it is null.
   */
  public SealedStorageException(Reason reason, String pathOrNull, String message, Throwable cause) {
    super((pathOrNull == null ? "sealed manifest" : "sealed file " + pathOrNull) + " refused ("
        + Objects.requireNonNull(reason, "reason") + "): " + message, cause);
    this.reason = reason;
    this.pathOrNull = pathOrNull;
  }

  /** What was wrong. */
  public Reason reason() {
    return reason;
  }

  /** Whether the manifest (rather than one file) was refused. */
  public boolean concernsManifest() {
    return pathOrNull == null;
  }

  /** The absolute path of the refused file, or null when the manifest was refused. */
  public String pathOrNull() {
    return pathOrNull;
  }
}
