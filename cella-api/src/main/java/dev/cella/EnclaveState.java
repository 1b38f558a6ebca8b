package dev.cella;

/**
 * Where an enclave is in its lifecycle: {@code READY} after load and initialization, {@code
 * FINISHED} after {@link Enclave#finish(byte[])}, {@code CLOSED} after {@link Enclave#close()},
 * {@code CRASHED} when the enclave died under its host.
 */
public enum EnclaveState {
  /** Loaded and initialized: accepts calls. */
  READY,
  /** The application's finalization ran; only {@code close()} is left. */
  FINISHED,
  /** Destroyed: every call fails with {@code FAILED_PRECONDITION}. */
  CLOSED,
  /** The enclave died: every call fails with {@code UNAVAILABLE} until it is closed. */
  CRASHED
}
