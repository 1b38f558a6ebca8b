package dev.cella.spi;

import java.util.Map;

/**
 * The host's end of a launched enclave runtime: carries request frames in and response frames out.
 * Frames are opaque to the backend (see {@code cella-protocol}).
 *
 * <p>Thread-safe: many host threads call {@link #call} at once, and the enclave may call back into
 * the host (through {@link LaunchRequest#hostCalls()}) while a call is in flight.
 */
public interface EnclaveConnection extends AutoCloseable {

  /**
   * Sends one request frame and blocks until its response frame arrives.
   *
   * @throws dev.cella.EnclaveException {@code UNAVAILABLE} once the enclave has died or been
   *     closed
   */
  byte[] call(byte[] frame);

  /**
   * Sends one request frame given in two parts and blocks until its response arrives, possibly
   * in two parts as well: a backend that copies frames across a boundary can move a large body
   * (a call's input, its output) without joining it to the header first. By default the parts are
   * joined and sent through {@link #call(byte[])}.
   *
   * @throws dev.cella.EnclaveException as {@link #call(byte[])}
   */
  default FrameParts call(FrameParts request) {
    return FrameParts.whole(call(request.joined()));
  }

  /**
   * What the backend measured at launch beyond the bundle, for the platform to state in the
   * enclave's evidence as runtime facts (by their claim names, values in lower-case hex): the
   * {@code vm} backend names its kernel, initramfs and command line here. Empty by default.
   */
  default Map<String, String> launchMeasurements() {
    return Map.of();
  }

  /** Whether the enclave runtime is still alive. */
  boolean isAlive();

  /**
   * Stops the runtime and frees everything the launch took (processes, files, class loaders).
   * Idempotent; calls in flight fail with {@code UNAVAILABLE}.
   */
  @Override
  void close();
}
