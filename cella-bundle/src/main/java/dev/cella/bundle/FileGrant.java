package dev.cella.bundle;

import dev.cella.bundle.internal.Names;
import java.util.Locale;

/**
 * A host file or folder the manifest grants the enclave, at a path inside the enclave, with an
 * access mode. Part of {@link HostAccess}; the manifest only records it, backends decide how to
 * enforce it.
 *
 * <p>Example: {@code new FileGrant("/srv/data", "/data", FileGrant.Mode.READ_ONLY)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hostPath an absolute, normalized path on the host
 * @param enclavePath an absolute, normalized path inside the enclave
 * @param mode how the enclave may use it
 */
public record FileGrant(String hostPath, String enclavePath, Mode mode) {

  /** How the enclave may use a granted file. */
  public enum Mode {
    /** The enclave reads the host's file; its content is untrusted input. */
    READ_ONLY("read-only"),
    /** The enclave reads and writes the host's file in the clear. */
    READ_WRITE("read-write"),
    /** The enclave stores sealed (encrypted, authenticated) data in the host's file. */
    SEALED("sealed");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    /** The name used in the manifest, e.g. {@code "read-only"}. */
    public String id() {
      return id;
    }

    /** The mode with the given manifest name; refuses others with the list of known ones. */
    public static Mode fromId(String id) {
      for (Mode mode : values()) {
        if (mode.id.equals(id)) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          "unknown file mode '" + id + "' (known: read-only, read-write, sealed)");
    }

    @Override
    public String toString() {
      return id.toLowerCase(Locale.ROOT);
    }
  }

  public FileGrant {
    Names.checkAbsolutePath("hostPath", hostPath);
    Names.checkAbsolutePath("enclavePath", enclavePath);
    if (mode == null) {
      throw new IllegalArgumentException("mode is required (read-only, read-write or sealed)");
    }
  }
}
