package dev.cella.protocol.storage;

import java.io.IOException;
import java.util.List;

/**
 * The untrusted storage under a sealed file system: a flat set of named byte objects that the
 * host keeps for the enclave. Everything the enclave stores through it is sealed, and object
 * names carry no plaintext: file objects have random 32-hex-digit names, and the manifest is
 * called {@value #MANIFEST_NAME}. Nothing the host returns is trusted; the sealed file system
 * detects objects that were changed, cut short, swapped, rolled back or withheld.
 *
 * <p>Names match {@code [a-z0-9]{1,64}}. An implementation for the {@code sim} backend and tests
 * is {@link dev.cella.protocol.storage.DirectorySealedStorageHost}; the isolated backends
 * forward these calls to the host as host calls.
 *
 * <pre>{@code
 * SealedStorageHost host = new DirectorySealedStorageHost(Path.of("/var/lib/app/sealed"));
 * host.writeAtomically("manifest", blob);
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
public interface SealedStorageHost {
  /** The name of the manifest object. */
  String MANIFEST_NAME = "manifest";

  /** The bytes of object {@code name}, or null when there is no such object. */
  byte[] readOrNull(String name) throws IOException;

  /**
   * Replaces (or creates) object {@code name} with {@code bytes} so that a crash at any moment
   * leaves either the old or the new bytes, never a mix, and so that the new bytes survive a
   * crash once this returns (for files: temporary file, fsync, atomic rename, fsync of the
   * directory).
   */
  void writeAtomically(String name, byte[] bytes) throws IOException;

  /** Deletes object {@code name}; no error when it does not exist. */
  void delete(String name) throws IOException;

  /** The names of all objects, in no particular order. */
  List<String> list() throws IOException;
}
