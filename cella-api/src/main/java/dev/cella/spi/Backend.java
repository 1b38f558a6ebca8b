package dev.cella.spi;

import dev.cella.BackendInfo;

/**
 * A backend: the small factory the generic host runtime is handed to launch enclaves with one kind
 * of isolation. Found with {@link java.util.ServiceLoader}; a backend moves opaque frames between
 * host and enclave and knows nothing of lifecycle, dispatch or codecs.
 *
 * <p>Discovery never throws: {@link #info()} reports whether the backend can run here and, if not,
 * why, computed once. {@link #launch} is called only when it is available.
 *
 * <p>Implementations are thread-safe.
 */
public interface Backend {

  /** What the backend is, what it protects against, and whether it can run on this machine. */
  BackendInfo info();

  /**
   * Starts the enclave runtime for a verified bundle and returns the connection to it. The
   * runtime has not been initialized yet: the host sends the initialization frame itself.
   *
   * @throws dev.cella.EnclaveException {@code UNAVAILABLE} when the backend cannot start it
   */
  EnclaveConnection launch(LaunchRequest request);
}
