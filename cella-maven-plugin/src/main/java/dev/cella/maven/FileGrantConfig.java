package dev.cella.maven;

import dev.cella.bundle.FileGrant;

/**
 * One {@code <file>} of {@link HostAccessConfig}: a host file or folder granted to the enclave.
 *
 * <pre>{@code
 * <file>
 *   <hostPath>/srv/data</hostPath>
 *   <enclavePath>/data</enclavePath>
 *   <mode>read-only</mode>   <!-- read-only, read-write or sealed -->
 * </file>
 * }</pre>
 *
 * <p>A mutable bean that Maven fills from the configuration; not thread-safe.
 */
public final class FileGrantConfig {
  /** An absolute path on the host. */
  String hostPath;
  /** An absolute path inside the enclave. */
  String enclavePath;
  /** {@code read-only}, {@code read-write} or {@code sealed}. */
  String mode;

  /** An empty grant, to be filled by Maven. */
  public FileGrantConfig() {}

  /**
   * The grant.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public FileGrant toGrant() {
    if (mode == null) {
      throw new IllegalArgumentException("a <file> grant needs a <mode> (read-only, read-write or sealed)");
    }
    return new FileGrant(hostPath, enclavePath, FileGrant.Mode.fromId(mode.strip()));
  }
}
