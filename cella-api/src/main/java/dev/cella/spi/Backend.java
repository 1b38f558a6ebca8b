package dev.cella.spi;

import dev.cella.BackendInfo;

/**
 * A backend: the small factory the generic host runtime is handed to launch enclaves with one kind
 * of isolation. Found with {@link java.util.ServiceLoader}; a backend moves opaque frames between
 * host and enclave and knows nothing of lifecycle, dispatch or codecs.
 *
 * <p>Discovery never throws: {@link #info()} reports whether the backend can run here and, if not,
 * why, computed once. The host asks for it only when that backend is wanted (an enclave loaded on
 * it, or the list of all backends), and finds backends by {@link #name()}, which must not probe
 * anything. {@link #launch} is called only when it is available.
 *
 * <p>Implementations are thread-safe.
 */
public interface Backend {

  /** What the backend is, what it protects against, and whether it can run on this machine. */
  BackendInfo info();

  /**
   * The name that selects this backend: the same as {@code info().name()}. The default asks
   * {@link #info()}; a backend whose {@code info()} probes the machine (starts a sandbox, boots a
   * VM) returns its name without that, so that a host which never uses it never pays for it.
   */
  default String name() {
    return info().name();
  }

  /**
   * Starts the enclave runtime for a verified bundle and returns the connection to it. The
   * runtime has not been initialized yet: the host sends the initialization frame itself.
   *
   * @throws dev.cella.EnclaveException {@code UNAVAILABLE} when the backend cannot start it
   */
  EnclaveConnection launch(LaunchRequest request);
}
